import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { appendText } from '../output/write.js';

/**
 * Runs `use` on a scratch copy of the context folder with `line` ({nonce} replaced) appended to `file`; the
 * scenario folder is never touched, and the copy is removed whatever happens. `leaveOut` (context-relative,
 * posix: the request's, stagebench's own output) is not copied: it is never sent anyway, and the --out folder
 * grows with every run.
 */
export async function withChangedCopy<T>(contextDir: string, change: { file: string; line: string }, nonce: string, leaveOut: string[], use: (dir: string) => Promise<T>): Promise<T> {
  const copy = await mkdtemp(join(tmpdir(), 'stagebench-incremental-'));
  const skip = new Set(leaveOut);
  const filter = (source: string) => !skip.has(relative(contextDir, source).split(sep).join('/'));
  try {
    await cp(contextDir, copy, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, filter });
    await appendText(join(copy, change.file), `\n${change.line.replaceAll('{nonce}', nonce)}\n`);
    return await use(copy);
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}
