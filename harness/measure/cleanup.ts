import type { Engine, RunMade } from '../engine/engine.js';
import { errorMessage } from '../errors.js';
import { RUN_LABEL } from './labels.js';

/**
 * Removes what the run made, whatever happened; returns what could not be removed. `keep` (with
 * --keep-images: each variant's tag, on its last image) stays, and so do its classic parents; earlier
 * rounds' images and the classic intermediates still go. An engine that is gone leaves things behind: the
 * message says how to remove them later.
 */
export function cleanUpRun(engine: Engine, made: RunMade, before: ReadonlySet<string>, runId: string, keep: string[]): Promise<string[]> {
  return engine
    .cleanup(made, before, [RUN_LABEL, runId], keep)
    .catch((err) => [`${errorMessage(err)}; what this run made may be left on the engine: once it answers again, \`stagebench clean ${runId}\` removes it`]);
}
