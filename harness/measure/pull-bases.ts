import { performance } from 'node:perf_hooks';
import type { Engine } from '../engine/engine.js';
import { EngineUnreachableError, errorMessage } from '../errors.js';

/**
 * Pulls the base images the engine does not have, before any timed build. pullMs: the time spent pulling,
 * absent when nothing was pulled; error: why a base is missing (the variant cannot be built); interrupted:
 * Ctrl-C cancelled a pull, which says nothing about the variant (it is left out, never "failed").
 */
export async function pullMissingBases(engine: Engine, refs: string[], signal: AbortSignal, onLine: (line: string) => void): Promise<{ pullMs?: number; error?: string; interrupted?: string }> {
  let pullMs: number | undefined;
  for (const ref of refs) {
    if (await engine.hasImage(ref)) continue;
    // Pulls come before the variant's builds and their progress header, so they are lines of their own,
    // timed from their own start.
    onLine(`pulling base image ${ref}`);
    const t0 = performance.now();
    try {
      await engine.pull(ref, signal);
    } catch (err) {
      if (signal.aborted) return { interrupted: `the pull of ${ref} was cancelled` };
      if (err instanceof EngineUnreachableError) throw err;
      return {
        error:
          `base image "${ref}" is not on the engine and could not be pulled (${errorMessage(err)}). ` +
          `Pull or load it yourself (docker pull / docker load), or map the Dockerfile's ARG to a local image with a --profile.`,
      };
    } finally {
      onLine(`pull of ${ref} ended after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    pullMs = (pullMs ?? 0) + Math.round(performance.now() - t0);
  }
  return { pullMs };
}
