import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * `to` relative to `from` when it lies inside `from` ('' when it is `from` itself), else undefined. Compared as
 * path segments: `..results` is a folder inside, only `..` itself or a path starting `../` is outside.
 */
export function relativeInside(from: string, to: string): string | undefined {
  const rel = relative(from, to);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? undefined : rel;
}

/**
 * The absolute path with every symlink resolved, also for a path that does not exist yet (the --out folder
 * before the first build): the nearest existing ancestor is resolved and the rest joined back on.
 */
export function realPathOf(path: string): string {
  let dir = resolve(path);
  const rest: string[] = [];
  while (!existsSync(dir)) {
    const parent = dirname(dir);
    if (parent === dir) break;
    rest.unshift(basename(dir));
    dir = parent;
  }
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    real = dir;
  }
  return join(real, ...rest);
}
