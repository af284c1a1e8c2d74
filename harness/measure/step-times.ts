import type { VariantResult } from '../results/schema.js';
import { median } from '../stats/summary.js';

type Steps = NonNullable<VariantResult['steps']>;

/**
 * The last round's steps, each with the median of its times over the rounds. Steps are matched by name
 * and occurrence (BuildKit digests change between uploads; classic names repeat across stages).
 */
export function medianSteps(rounds: Steps[]): Steps {
  const key = (steps: Steps) => {
    const seen = new Map<string, number>();
    return steps.map((s) => {
      const n = (seen.get(s.name) ?? 0) + 1;
      seen.set(s.name, n);
      return `${s.name}#${n}`;
    });
  };
  const times = new Map<string, number[]>();
  for (const steps of rounds) {
    key(steps).forEach((k, i) => {
      const ms = steps[i]?.ms;
      if (ms !== undefined) times.set(k, [...(times.get(k) ?? []), ms]);
    });
  }
  const last = rounds.at(-1) ?? [];
  return key(last).map((k, i) => {
    const { ms: _ms, ...step } = last[i] as Steps[number];
    const samples = times.get(k);
    return samples ? { ...step, ms: Math.round(median(samples)) } : step;
  });
}
