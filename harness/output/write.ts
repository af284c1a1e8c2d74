import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorMessage, UsageError } from '../errors.js';

// Every file stagebench writes goes through this file: the one place to handle a disk that is full or
// a path that cannot be written.

/** Creates the folder if needed and checks it can be written, before anything is measured. */
export async function ensureWritableDir(dir: string, what: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new UsageError(`${what}: cannot write there (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)})`, 'pass --out <dir> with a folder you can write');
  }
}

/** Writes via a temporary file and a rename, so a reader never sees half a file; the temporary file never outlives a failure. */
export async function writeAtomic(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Appends to a file someone else owns (the GitHub step summary, a scratch copy's file), keeping what is there. */
export async function appendText(file: string, text: string): Promise<void> {
  await appendFile(file, text);
}
