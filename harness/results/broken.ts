import type { Results } from './schema.js';

/** `scenario/variant` of every variant that failed to build or its smoke check: they make the exit code 3 and refuse a baseline. */
export const brokenVariants = (results: Results): string[] =>
  results.scenarios.flatMap((s) => s.variants.filter((v) => v.status === 'failed' || v.smoke?.status === 'failed').map((v) => `${s.name}/${v.id}`));
