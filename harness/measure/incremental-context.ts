import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendText } from '../output/write.js';

/**
 * Runs `use` on a scratch copy of the context folder with `line` ({nonce} replaced) appended to `file`; the
 * scenario folder is never touched, and the copy is removed whatever happens.
 */
export async function withChangedCopy<T>(contextDir: string, change: { file: string; line: string }, nonce: string, use: (dir: string) => Promise<T>): Promise<T> {
  const copy = await mkdtemp(join(tmpdir(), 'stagebench-incremental-'));
  try {
    await cp(contextDir, copy, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await appendText(join(copy, change.file), `\n${change.line.replaceAll('{nonce}', nonce)}\n`);
    return await use(copy);
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}
