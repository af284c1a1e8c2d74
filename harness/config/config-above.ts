import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The config file's name: what every command reads in the working directory unless --config names another. */
export const CONFIG_FILE = 'stagebench.config.json';

/**
 * The nearest stagebench.config.json in a folder above cwd, looking no higher than the repository root (the
 * folder holding `.git`) or the filesystem root. stagebench reads its config, scenarios/, results/ and the
 * baseline from the working directory only: this is what the messages name when that finds no config.
 */
export function configAbove(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
    if (existsSync(join(dir, CONFIG_FILE))) return join(dir, CONFIG_FILE);
  }
}

/** "no stagebench.config.json here; the nearest is ../../stagebench.config.json", and that file's folder, relative to cwd. */
export function configElsewhere(cwd: string, found: string): { message: string; file: string; dir: string } {
  const file = relative(cwd, found);
  return { message: `no ${CONFIG_FILE} here; the nearest is ${file}`, file, dir: dirname(file) };
}

/** How a reading command uses a config higher up: from its folder, or named (in backticks: an error keeps them whole). */
export const useConfigFix = ({ file, dir }: { file: string; dir: string }) => `run from \`${dir}\` (its paths, results/ and the baseline are relative to there), or pass \`--config ${file}\``;

