import { isAbsolute, relative, sep } from 'node:path';

/**
 * How messages name a file: relative to the working directory when it is inside it, else absolute, the same
 * everywhere. Inside is decided by path segment (a folder named `..results` is inside), as engine/path-inside.ts
 * does (format/ imports nothing of stagebench, so the test is repeated here).
 */
export function shownPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel) ? rel : file;
}

/** "1 problem", "2 problems". */
export const counted = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
