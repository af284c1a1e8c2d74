import type { Engine } from '../engine/engine.js';
import { errorMessage } from '../errors.js';
import { RUN_LABEL } from './labels.js';

/**
 * Removes what the run made, whatever happened; returns what could not be removed. With keepImages the
 * labelled images stay; the unlabelled classic intermediates still go (a parent of a kept image is held by
 * it and stays).
 */
export function cleanUpRun(engine: Engine, made: { containers: string[]; images: string[] }, since: number, runId: string, keepImages: boolean): Promise<string[]> {
  return engine.cleanup(made, since, keepImages ? undefined : [RUN_LABEL, runId]).catch((err) => [errorMessage(err)]);
}
