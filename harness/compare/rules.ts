import type { GateConfig } from '../config/gate-schema.js';
import type { MetricKey, TimedKey } from './metrics.js';

export interface GrowthRule {
  percent: number;
  min: number;
  on: 'fail' | 'warn';
}

export interface VariantRules {
  growth: Record<MetricKey, GrowthRule>;
  /** The statistical test of each timed metric. */
  tests: Record<TimedKey, { minRuns: number; alpha: number }>;
  caps: Partial<Record<MetricKey, number>>;
  /** New packages (absent from the baseline's image): more than `min` of them in this variant take the effect `on`. */
  packages: PackagesRule;
}

export interface PackagesRule {
  min: number;
  on: 'pass' | 'warn' | 'fail';
}

/** The defaults, documented in the README: sizes fail past +2 % and +1 MB; a layer more or a slower build warns. */
export const DEFAULT_GROWTH: Record<MetricKey, GrowthRule> = {
  size: { percent: 2, min: 1_000_000, on: 'fail' },
  compressed: { percent: 2, min: 1_000_000, on: 'fail' },
  layers: { percent: 0, min: 0, on: 'warn' },
  buildTime: { percent: 10, min: 1000, on: 'warn' },
  startTime: { percent: 10, min: 100, on: 'warn' },
};
export const DEFAULT_POLICY = { new: 'warn', missing: 'fail', contains: 'warn' } as const;
/** Any new package warns. */
export const DEFAULT_PACKAGES: PackagesRule = { min: 0, on: 'warn' };

/** The rules of one variant: defaults < gate.growth (and gate.packages) < "<scenario>" < "<scenario>/<variant>", field by field. */
export function rulesFor(gate: GateConfig, scenario: string, variant: string): VariantRules {
  const layers = [{ growth: gate.growth, packages: gate.packages }, gate.scenarios?.[scenario], gate.scenarios?.[`${scenario}/${variant}`]];
  const growthRules = structuredClone(DEFAULT_GROWTH);
  const tests: VariantRules['tests'] = { buildTime: { minRuns: 5, alpha: 0.05 }, startTime: { minRuns: 5, alpha: 0.05 } };
  const caps: VariantRules['caps'] = {};
  const packages = { ...DEFAULT_PACKAGES };
  for (const layer of layers) {
    if (!layer) continue;
    for (const key of Object.keys(growthRules) as MetricKey[]) {
      const over = layer.growth?.[key];
      if (!over) continue;
      const rule = growthRules[key];
      if (over.percent !== undefined) rule.percent = over.percent;
      if (over.min !== undefined) rule.min = over.min;
      if (over.on !== undefined) rule.on = over.on;
    }
    for (const key of ['buildTime', 'startTime'] as const) {
      const t = layer.growth?.[key];
      if (t?.minRuns !== undefined) tests[key].minRuns = t.minRuns;
      if (t?.alpha !== undefined) tests[key].alpha = t.alpha;
    }
    if ('maxSize' in layer && layer.maxSize !== undefined) caps.size = layer.maxSize;
    if ('maxCompressed' in layer && layer.maxCompressed !== undefined) caps.compressed = layer.maxCompressed;
    if ('maxLayers' in layer && layer.maxLayers !== undefined) caps.layers = layer.maxLayers;
    const p = layer.packages;
    if (p && 'min' in p && p.min !== undefined) packages.min = p.min;
    if (p?.on !== undefined) packages.on = p.on;
  }
  return { growth: growthRules, tests, caps, packages };
}

/** Keys of gate.scenarios that name nothing known (variants undefined: known by name only): a typo would switch a cap off silently. */
export function unknownGateKeys(gate: GateConfig, known: Map<string, string[] | undefined>): string[] {
  return Object.keys(gate.scenarios ?? {}).filter((key) => {
    const [scenario, variant] = key.split('/') as [string, string | undefined];
    if (!known.has(scenario)) return true;
    const variants = known.get(scenario);
    return variant !== undefined && variants !== undefined && !variants.includes(variant);
  });
}
