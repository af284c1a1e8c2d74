import type { Engine } from '../engine/engine.js';
import type { VariantResult } from '../results/schema.js';

/** scenario.json's `contains` checks: for each name, which of its paths the image holds (any one counts). */
export async function checkContains(engine: Engine, imageId: string, checks: Record<string, string[]>, labels: Record<string, string>): Promise<NonNullable<VariantResult['contains']>> {
  const present = await engine.pathsPresent(imageId, [...new Set(Object.values(checks).flat())], labels);
  return Object.fromEntries(
    Object.entries(checks).map(([name, paths]) => {
      const found = paths.filter((p) => present.has(p));
      return [name, { present: found.length > 0, paths: found }];
    }),
  );
}
