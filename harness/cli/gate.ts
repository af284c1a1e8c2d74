import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EngineCheck, Refusal } from '../compare/baseline-checks.js';
import { type ConfigFile, ConfigFileSchema } from '../config/schemas.js';
import { loadJsonFile } from '../config/load.js';
import { CONFIG_FILE, useConfigFix } from '../config/config-above.js';
import { ConfigError, EngineError } from '../errors.js';
import { shownPath } from '../format/shown-path.js';
import { readResults } from '../results/io.js';
import type { Results } from '../results/schema.js';
import { BASELINE_FILE } from './args.js';
import { noteText } from './error-text.js';
import type { Stream } from './output.js';

/** The config file: --config (must exist) or ./stagebench.config.json (CONFIG_FILE) when there is one. */
export async function loadConfig(cwd: string, flag: string | undefined): Promise<{ file: string; config: ConfigFile | undefined }> {
  const file = flag ? resolve(cwd, flag) : join(cwd, CONFIG_FILE);
  if (!existsSync(file)) {
    if (flag) throw new ConfigError(`--config ${flag}: no such file`, `pass the path of your ${CONFIG_FILE}`);
    return { file, config: undefined };
  }
  return { file, config: await loadJsonFile(file, ConfigFileSchema, 'config file', shownPath(cwd, file)) };
}

/** The baseline results file; its absence is a config error that says how to make one. */
export async function readBaseline(cwd: string, file: string): Promise<Results> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) {
    throw new ConfigError(`--baseline ${file}: no such file`, `make one from a good run with \`stagebench baseline update\` (writes ${BASELINE_FILE}) and commit it`);
  }
  return readResults(path);
}

/** A refusal becomes the error the CLI prints: results not all measured are an engine-side failure, the rest a config problem. */
export function refused(refusal: Refusal): never {
  throw refusal.kind === 'incomplete' ? new EngineError(refusal.message, refusal.hint) : new ConfigError(refusal.message, refusal.hint);
}

export function refuse(refusal: Refusal | undefined): void {
  if (refusal) refused(refusal);
}

/** The notes of an accepted engine check; a refused one is raised. */
export const accepted = (check: EngineCheck): string[] => ('refusal' in check ? refused(check.refusal) : check.notes);

/** The note that a config above was not read (`what` says with what effect), with the error's fix in the same words. */
export function configAboveNote(elsewhere: { message: string; file: string; dir: string }, what: string, stderr: Stream): string {
  return noteText(`note: ${elsewhere.message} (${what}): ${useConfigFix(elsewhere)}`, stderr);
}
