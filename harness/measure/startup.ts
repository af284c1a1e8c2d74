import type { Smoke } from '../config/schemas.js';
import type { Engine } from '../engine/engine.js';
import type { SmokeResult, VariantResult } from '../results/schema.js';
import { spreadWarning, summarize } from '../stats/summary.js';
import { smokeCheck } from './smoke.js';

/**
 * The smoke check, once per round (warm-ups first, untimed): each passing check's time from the container
 * create to the check passing is a start-up sample. The first failure ends it: the image does not work, and
 * its smoke result says why.
 */
export async function startupRounds(
  engine: Engine,
  image: string,
  smoke: Smoke,
  labels: Record<string, string>,
  signal: AbortSignal,
  rounds: { runs: number; warmup: number },
  warnings: string[] | undefined,
): Promise<Pick<VariantResult, 'smoke' | 'startMs' | 'startSamples' | 'startStats' | 'warnings'>> {
  const samples: number[] = [];
  let last: SmokeResult | undefined;
  for (let round = 0; round < rounds.warmup + rounds.runs && !signal.aborted; round++) {
    last = await smokeCheck(engine, image, smoke, labels, signal);
    if (last.status === 'failed') return { smoke: last };
    if (round >= rounds.warmup) samples.push(last.ms);
  }
  if (!last) return {};
  if (samples.length === 0) return { smoke: last };
  const stats = summarize(samples);
  const warning = samples.length > 1 ? spreadWarning(stats) : undefined;
  return {
    smoke: last,
    startMs: Math.round(stats.median),
    ...(samples.length > 1 ? { startSamples: samples, startStats: stats } : {}),
    ...(warning ? { warnings: [...(warnings ?? []), `start-up time: ${warning}`] } : {}),
  };
}
