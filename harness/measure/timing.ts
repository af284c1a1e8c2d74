import type { CacheMode, VariantResult } from '../results/schema.js';
import { spreadWarning, summarize } from '../stats/summary.js';
import { medianSteps } from './step-times.js';

type Sample = NonNullable<VariantResult['samples']>[number];
type Steps = NonNullable<VariantResult['steps']>;

/**
 * The build-time fields of a variant from its samples: buildMs is the median of the timed builds of the first
 * mode; with several builds, every sample, their statistics, a warning on a wide spread, and the median step times.
 */
export function timingFields(samples: Sample[], modes: CacheMode[], timedSteps: Steps[], warnings: string[] | undefined): Partial<VariantResult> {
  const timedIn = (mode?: CacheMode) => samples.filter((s) => !s.warmup && s.mode === mode).map((s) => s.buildMs);
  const stats = summarize(timedIn(modes[0]));
  const fields: Partial<VariantResult> = {};
  if (modes.length > 0) fields.modeStats = Object.fromEntries(modes.map((m) => [m, summarize(timedIn(m))]));
  fields.buildMs = Math.round(stats.median);
  if (timedSteps.length > 1) fields.steps = medianSteps(timedSteps);
  if (samples.length > 1) {
    fields.samples = samples;
    fields.buildStats = stats;
    const warning = spreadWarning(stats);
    if (warning) fields.warnings = [...(warnings ?? []), `build time: ${warning}`];
  }
  return fields;
}
