import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The config file's name: what every command reads in the working directory unless --config names another. */
export const CONFIG_FILE = 'stagebench.config.json';

/**
 * The nearest stagebench.config.json in a folder above cwd, when it is in the same git repository as cwd: a
 * `.git` (folder or file) must be found at or above that config, and none between cwd and it (a `.git` in
 * cwd or on the way up marks cwd's own repository root, above which configs belong to something else).
 * Outside any repository nothing is named: a stray ~/stagebench.config.json or /tmp/stagebench.config.json
 * says nothing about a project below it. stagebench reads its config, scenarios/, results/ and the baseline
 * from the working directory only: this is what the messages name when that finds no config.
 */
export function configAbove(cwd: string): string | undefined {
  let dir = resolve(cwd);
  let found: string | undefined;
  for (;;) {
    if (existsSync(join(dir, '.git'))) return found;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
    if (!found && existsSync(join(dir, CONFIG_FILE))) found = join(dir, CONFIG_FILE);
  }
}

/** "no stagebench.config.json here; the nearest is ../../stagebench.config.json", and that file's folder, relative to cwd. */
export function configElsewhere(cwd: string, found: string): { message: string; file: string; dir: string } {
  const file = relative(cwd, found);
  return { message: `no ${CONFIG_FILE} here; the nearest is ${file}`, file, dir: dirname(file) };
}

/** How a reading command uses a config higher up: from its folder, or named (in backticks: an error keeps them whole). */
export const useConfigFix = ({ file, dir }: { file: string; dir: string }) => `run from \`${dir}\` (its paths, results/ and the baseline are relative to there), or pass \`--config ${file}\``;

