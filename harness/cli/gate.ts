import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EngineCheck, Refusal } from '../compare/baseline-checks.js';
import { type ConfigFile, ConfigFileSchema } from '../config/schemas.js';
import { loadJsonFile } from '../config/load.js';
import { ConfigError, EngineError } from '../errors.js';
import { wrap } from '../report/wrap.js';
import { shownPath } from '../format/shown-path.js';
import { readResults } from '../results/io.js';
import type { Results } from '../results/schema.js';
import { BASELINE_FILE } from './args.js';

/** The config file: --config (must exist) or ./stagebench.config.json when there is one. */
export async function loadConfig(cwd: string, flag: string | undefined): Promise<{ file: string; config: ConfigFile | undefined }> {
  const file = flag ? resolve(cwd, flag) : join(cwd, 'stagebench.config.json');
  if (!existsSync(file)) {
    if (flag) throw new ConfigError(`--config ${flag}: no such file`, 'pass the path of your stagebench.config.json');
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

/** useConfigFix (config/config-above.ts) as a note of at most `width` columns: the prose wraps, the flag to copy stands whole on the last line. */
export function configAboveNote(elsewhere: { message: string; file: string; dir: string }, what: string, width: number): string {
  const prose = `note: ${elsewhere.message} (${what}): run from ${elsewhere.dir} (its paths, results/ and the baseline are relative to there), or pass`;
  return `${wrap(prose, width, '  ')}\n  --config ${elsewhere.file}\n`;
}
