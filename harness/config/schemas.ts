import { z } from 'zod';
import { LESSON_REFERENCE, NetworkSchema } from '../results/schema.js';
import { GateConfigSchema } from './gate-schema.js';

/**
 * The default reference of a scenario that has a variant of this id (scenarios/reference.ts). Defined in
 * results/schema.ts; passed on here because scenarios/ may not import results/ (eslint.config.js layers) and
 * reads it through config/. Others import it from results/schema.ts.
 */
export { LESSON_REFERENCE };

const stringMap = z.record(z.string(), z.string());

/** Options that decide how one Dockerfile is built. Merged: scenario < profile < variant. */
export const BuildOptionsSchema = z.strictObject({
  buildArgs: stringMap.optional(),
  target: z.string().min(1).optional(),
  /** BuildKit accepts only these; "host" is what a loopback package proxy needs. */
  network: NetworkSchema.optional(),
  /** Names of the profile's services these builds need (e.g. a package proxy): a service starts only for a run that needs it. */
  services: z.array(z.string().min(1)).optional(),
});
export type BuildOptions = z.infer<typeof BuildOptionsSchema>;

export const SmokeSchema = z
  .strictObject({
    /** Poll http://127.0.0.1:<port><path> until it answers 2xx. The container runs with host networking. */
    http: z
      .strictObject({
        path: z.string().startsWith('/'),
        /** The port the app listens on, or... */
        port: z.int().min(1).max(65535).optional(),
        /** ...the env var stagebench sets to a free port it picked. */
        portEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
      })
      .refine((h) => (h.port === undefined) !== (h.portEnv === undefined), {
        message: 'give exactly one of "port" and "portEnv"',
      })
      .optional(),
    /** Run this command in the image instead (no network) and expect exitCode. */
    command: z.array(z.string()).min(1).optional(),
    exitCode: z.int().min(0).max(255).optional(),
    env: stringMap.optional(),
    timeoutMs: z.int().positive().max(600_000).optional(),
  })
  .refine((s) => (s.http === undefined) !== (s.command === undefined), {
    message: 'give exactly one of "http" and "command"',
  });
export type Smoke = z.infer<typeof SmokeSchema>;

/**
 * What any scenario can say, whether in scenarios/<name>/scenario.json or under "scenarios" in the config
 * file: one shape, so the two cannot drift apart.
 */
const scenarioOptions = {
  description: z.string().optional(),
  ...BuildOptionsSchema.shape,
  /** Per-profile overrides, e.g. host networking only where a loopback proxy is used. */
  profiles: z.record(z.string(), BuildOptionsSchema).optional(),
  smoke: SmokeSchema.optional(),
  /** How an incremental build changes the context: a line appended to a copy of this file (relative to the context). */
  incremental: z
    .strictObject({
      file: z.string().min(1),
      /** Must hold {nonce}, replaced per build so that every incremental build sees new content. */
      line: z.string().includes('{nonce}', { message: 'must contain {nonce}' }),
    })
    .optional(),
  /** What to look for in every built image: a name and the paths that count as it (any one present). */
  contains: z.record(z.string().min(1), z.array(z.string().startsWith('/')).min(1)).optional(),
  /** The variant the others are compared with (scenarios/reference.ts): default "single" when there is one, else the first. */
  reference: z
    .string()
    .min(1)
    .optional()
    .describe('The variant id the others are compared with (default: "single" when the scenario has one, else its first variant)'),
};

/** scenarios/<name>/scenario.json (optional). */
export const ScenarioFileSchema = z.strictObject({
  ...scenarioOptions,
  /** Per-variant overrides, keyed by variant id (single, multi, or <v> of Dockerfile.<v>). */
  variants: z.record(z.string(), BuildOptionsSchema).optional(),
});
export type ScenarioFile = z.infer<typeof ScenarioFileSchema>;

/** One variant of a scenario declared in the config file: a Dockerfile (default: the scenario's) and its options. */
export const DeclaredVariantSchema = z.strictObject({
  /** Relative to the config file; may lie outside the context (sent as `docker build -f` sends it). */
  dockerfile: z.string().min(1).optional().describe("This variant's Dockerfile, relative to the config file (default: the scenario's)"),
  ...BuildOptionsSchema.shape,
});

/** A scenario declared under "scenarios" in stagebench.config.json. */
export const DeclaredScenarioSchema = z
  .strictObject({
    ...scenarioOptions,
    /** The build context, relative to the config file. */
    context: z.string().min(1).default('.').describe('The build context, relative to the config file'),
    /** Relative to the config file; default: Dockerfile in the context. */
    dockerfile: z.string().min(1).optional().describe('Relative to the config file; may lie outside the context (default: Dockerfile in the context)'),
    /** Named variants; none (and no matrix): the scenario is one image, with the variant id "default". */
    variants: z.record(z.string(), DeclaredVariantSchema).optional().describe('Variants by id; none (and no matrix): one image, variant id "default"'),
    /** One variant per combination of these values; "target" picks the stage, any other key is a build argument. */
    matrix: z.record(z.string().min(1), z.array(z.string()).min(1)).optional().describe('One variant per combination; "target" picks the stage, other keys are build arguments'),
  })
  .refine((s) => s.variants === undefined || s.matrix === undefined, { message: 'give "variants" or "matrix", not both' });
export type DeclaredScenario = z.infer<typeof DeclaredScenarioSchema>;

export const ServiceSchema = z.strictObject({
  name: z.string().min(1),
  /** argv run from the config file's folder before the first build; must return once the service is ready. */
  start: z.array(z.string()).min(1),
  /** argv run when the run ends, whatever happened. */
  stop: z.array(z.string()).min(1).optional(),
});
export type Service = z.infer<typeof ServiceSchema>;

export const ProfileSchema = z.strictObject({
  description: z.string().optional(),
  /** Values for ARGs; passed only to Dockerfiles that declare the ARG, so unrelated builds are unaffected. */
  buildArgs: stringMap.optional(),
  services: z.array(ServiceSchema).optional(),
});
export type Profile = z.infer<typeof ProfileSchema>;

/** stagebench.config.json (optional). */
export const ConfigFileSchema = z.strictObject({
  /** The JSON Schema this file follows (stagebench ships it as stagebench.config.schema.json); ignored here. */
  $schema: z.string().optional().describe('This JSON Schema (shipped in the stagebench package); ignored by stagebench'),
  /** JSON has no comments: notes for the reader (stagebench init writes some), ignored here. */
  $comment: z.union([z.string(), z.array(z.string())]).optional().describe('Notes for the reader; ignored by stagebench'),
  /** Scenarios by name, built from wherever their Dockerfiles and contexts are in the repository. */
  scenarios: z.record(z.string(), DeclaredScenarioSchema).optional().describe('Scenarios by name: letters and digits joined by ".", "_" or "-", at most 128 characters'),
  profiles: z.record(z.string(), ProfileSchema).optional(),
  /** Rules for comparing a run with a baseline (stagebench compare, run --baseline). */
  gate: GateConfigSchema.optional(),
});
export type ConfigFile = z.infer<typeof ConfigFileSchema>;
/** stagebench.config.json as written (before defaults and quantity parsing). */
export type ConfigFileInput = z.input<typeof ConfigFileSchema>;

const ClaimCheckSchema = z.discriminatedUnion('kind', [
  /** The variant is at least this many percent smaller than the scenario's reference (single in the lesson's; held when measured ≥ 90 % of it). */
  z.strictObject({ kind: z.literal('reduction'), percent: z.number().positive().max(100) }),
  /** The variant's size is in this range; comparable only when its final stage is on one of these bases. */
  z.strictObject({ kind: z.literal('size'), minBytes: z.int().min(0), maxBytes: z.int().positive(), comparableBases: z.array(z.string()).min(1) }),
  /** None of these `contains` checks (scenario.json) found anything in the variant's image. */
  z.strictObject({ kind: z.literal('absent'), items: z.array(z.string()).min(1) }),
  /** With --deploy: the variant downloads fewer bytes than the scenario's reference and deploys (pull + start) in less time. */
  z.strictObject({ kind: z.literal('faster-deploy') }),
]);

/** A document's claims about scenarios, checked against a results file (docs/lesson-claims.json). */
export const ClaimsFileSchema = z.strictObject({
  title: z.string(),
  source: z.string(),
  claims: z.array(
    z.strictObject({
      text: z.string(),
      scenario: z.string(),
      variants: z.array(z.string()).min(1),
      check: ClaimCheckSchema,
    }),
  ),
});
export type ClaimsFile = z.infer<typeof ClaimsFileSchema>;
