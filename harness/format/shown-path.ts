import { isAbsolute, relative } from 'node:path';

/** How messages name a file: relative to the working directory when it is inside it, else absolute, the same everywhere. */
export function shownPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** "1 problem", "2 problems". */
export const counted = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
