import { z } from 'zod';
import { bytesSchema, durationSchema, percentSchema } from './quantities.js';

const severity = z.enum(['fail', 'warn']);
const effect = z.enum(['pass', 'warn', 'fail']);

/** New packages: the effect `on` applies when a variant ships more than `min` packages absent from the baseline's image; "warn" is short for { "on": "warn" }. */
const packagesRule = z.union([effect.transform((on) => ({ on })), z.strictObject({ min: z.int().min(0).optional(), on: effect.optional() })], {
  error: 'use "pass", "warn", "fail" or { "min": <new packages allowed per variant>, "on": "pass" | "warn" | "fail" }',
});

/** Growth counts when it is more than `percent` of the baseline AND more than `min`: noise on a tiny image and a small % of a huge one both pass. */
const growth = <T extends z.ZodType<number>>(min: T) => z.strictObject({ percent: percentSchema.optional(), min: min.optional(), on: severity.optional() });

const timed = growth(durationSchema)
  .extend({ minRuns: z.int().min(5).optional(), alpha: z.number().gt(0).max(0.2).optional() })
  .optional();

const GrowthRulesSchema = z.strictObject({
  size: growth(bytesSchema).optional(),
  compressed: growth(bytesSchema).optional(),
  layers: growth(z.int().min(0)).optional(),
  /** Advisory unless on: "fail"; failing then also needs minRuns timed builds on both sides and a significant Mann-Whitney U test. */
  buildTime: timed,
  /** The same rule for the start-up time (smoke check passing), over the --runs starts. */
  startTime: timed,
});

const LimitsSchema = z.strictObject({
  maxSize: bytesSchema.optional(),
  maxCompressed: bytesSchema.optional(),
  maxLayers: z.int().min(0).optional(),
  growth: GrowthRulesSchema.optional(),
  packages: packagesRule.optional(),
});

/** The "gate" section of stagebench.config.json. */
export const GateConfigSchema = z.strictObject({
  growth: GrowthRulesSchema.optional(),
  /** Keyed "<scenario>" (all its variants) or "<scenario>/<variant>" (wins over the scenario's). */
  scenarios: z.record(z.string().regex(/^[^/]+(\/[^/]+)?$/, 'use "<scenario>" or "<scenario>/<variant>"'), LimitsSchema).optional(),
  /** What a variant with no baseline does to the verdict, and one in the baseline that this run should have had but did not. */
  new: effect.optional(),
  missing: effect.optional(),
  /** What a `contains` finding present now and absent in the baseline (something new ships) does to the verdict. */
  contains: effect.optional(),
  /** What packages (by name, any ecosystem) shipped now and not in the baseline's image do to the verdict, past how many per variant. */
  packages: packagesRule.optional(),
});
export type GateConfig = z.output<typeof GateConfigSchema>;
