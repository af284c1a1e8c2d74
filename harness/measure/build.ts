import type { BuildOutcome, BuildRequest, Engine } from '../engine/engine.js';
import type { CacheMode, VariantResult } from '../results/schema.js';
import type { Scenario } from '../scenarios/scenario.js';
import { withChangedCopy } from './incremental-context.js';

/**
 * One build in a cache mode. cold: without the layer cache; incremental: from a copy of the context with one
 * file's content changed; otherwise as prepared.
 */
export function buildInMode(engine: Engine, request: BuildRequest, scenario: Scenario, mode: CacheMode | undefined, nonce: string): Promise<BuildOutcome> {
  if (mode === 'incremental') return withChangedCopy(scenario.dir, scenario.file.incremental!, nonce, request.leaveOut ?? [], (contextDir) => engine.build({ ...request, contextDir }));
  return engine.build(mode === 'cold' ? { ...request, noCache: true } : request);
}

/** The build's steps as the results record them: a time only where the builder reported a start and an end. */
export const stepsOf = (build: BuildOutcome): NonNullable<VariantResult['steps']> =>
  build.steps.map((s) => ({
    name: s.name,
    cached: s.cached,
    ...(s.startedMs !== undefined && s.completedMs !== undefined ? { ms: Math.max(0, Math.round(s.completedMs - s.startedMs)) } : {}),
  }));

/** What a build made that the run removes by id: step containers, stage results, intermediates and the image itself. */
export const buildLeftovers = (build: BuildOutcome) => ({
  containers: build.containerIds,
  images: [...new Set([...build.auxIds, ...build.intermediateIds, ...(build.imageId ? [build.imageId] : [])])],
});

/**
 * A failure with the fix added where the engine's message does not give one. BuildKit fetches the frontend a
 * Dockerfile's `# syntax=` line names from its registry before reading the Dockerfile ("resolve image config
 * for docker.io/docker/dockerfile:1"); the many Dockerfiles that start with that line fail where no registry is
 * reachable, and nothing in the message says the line is why.
 */
export function explainFailure(failure: NonNullable<BuildOutcome['failure']>): NonNullable<BuildOutcome['failure']> {
  const frontend = /^resolve image config for (\S+)$/.exec(failure.step ?? '')?.[1];
  if (!frontend) return failure;
  return {
    ...failure,
    message: `${failure.message}\nThe Dockerfile's "# syntax=" line makes BuildKit fetch the frontend ${frontend} from its registry. Where none can be reached, remove that line (the engine's built-in frontend is used) or pass --builder classic.`,
  };
}
