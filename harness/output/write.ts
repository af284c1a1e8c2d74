import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, appendFile, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errorMessage, OutputError, UsageError } from '../errors.js';

// Every file stagebench writes goes through this file: the one place to handle a disk that is full or
// a path that cannot be written.

const WHY: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'the file system does not let a folder be made there',
};

/**
 * How the user picks where a file goes, named in the fix: `run` and `merge` write a folder (--out <dir>, the
 * default); a command writing one file the user named (`chart --out <file>`, `baseline update --baseline <file>`)
 * passes that flag, and a path it cannot write is then a usage error (exit 2, as a bad flag), while a full
 * disk stays an output error (exit 3).
 */
export type ChosenBy = `--${string} <${string}>`;

/** A failed write as a message naming the path, what went wrong and the fix. */
export function writeProblem(path: string, err: unknown, chosenBy?: ChosenBy): OutputError | UsageError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const full = code === 'ENOSPC' || code === 'EDQUOT';
  const flag = chosenBy ?? '--out <dir>';
  const message = `cannot write ${path}: ${WHY[code] ?? errorMessage(err)}${code ? ` (${code})` : ''}`;
  if (full) return new OutputError(message, `free space on the disk that holds ${dirname(path)}, or pass ${flag} on another disk`, { cause: err });
  const fix = `pass ${flag} ${chosenBy ? 'in' : 'with'} a folder you can write`;
  return chosenBy ? new UsageError(message, fix) : new OutputError(message, fix, { cause: err });
}

/**
 * mkdir -p, one level at a time. Node's own recursive mkdir never returns under /proc (it retries the
 * parent forever on ENOENT); this one fails with the first folder that cannot be made.
 */
async function makeDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      if ((await stat(d)).isDirectory()) break;
      throw Object.assign(new Error(`${d} is not a folder`), { code: 'ENOTDIR' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      missing.unshift(d);
      if (dirname(d) === d) break;
    }
  }
  for (const d of missing) {
    await mkdir(d).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
}

/** Makes the folder if needed; rejects when it cannot be made or written. */
async function makeWritableDir(dir: string): Promise<void> {
  await makeDir(dir);
  await access(dir, constants.W_OK);
}

/** Creates the folder if needed and checks it can be written, before anything is measured. */
export async function ensureWritableDir(dir: string, what: string): Promise<void> {
  try {
    await makeWritableDir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${what}: cannot write there (${code ? `${WHY[code] ?? code}, ${code}` : errorMessage(err)})`, 'pass --out <dir> with a folder you can write');
  }
}

/**
 * A file the user named (`--report <file>`) checked before anything is measured: its folder is made and
 * writable, and the file, when it is there, can be written. Otherwise a usage error (exit 2) naming the flag, or
 * an output error (exit 3) when the disk is full, as for every file the user named.
 */
export async function ensureWritableFile(file: string, chosenBy: ChosenBy): Promise<void> {
  try {
    await makeWritableDir(dirname(file));
    await access(file, constants.W_OK).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  } catch (err) {
    // With the flag named, writeProblem's answer is already the usage error (its fix names the flag).
    throw writeProblem(file, err, chosenBy);
  }
}

/** Writes via a temporary file and a rename, so a reader never sees half a file; the temporary file never outlives a failure. */
export async function writeAtomic(file: string, content: string | Uint8Array, chosenBy?: ChosenBy): Promise<void> {
  await makeDir(dirname(file)).catch((err: unknown) => {
    throw writeProblem(dirname(file), err, chosenBy);
  });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw writeProblem(file, err, chosenBy);
  }
}

/**
 * Replaces a file's content without allocating: only when the new content is no longer than the file, which
 * is then padded with spaces to its old length and written over it in place. A full disk still takes it (no
 * new blocks on a file system that overwrites in place). Returns false when it does not fit or fails.
 */
export async function overwriteInPlace(file: string, content: string): Promise<boolean> {
  try {
    const size = (await stat(file)).size;
    const bytes = Buffer.from(content);
    if (bytes.length > size) return false;
    const handle = await open(file, 'r+');
    try {
      await handle.write(Buffer.concat([bytes, Buffer.alloc(size - bytes.length, ' ')]), 0, size, 0);
    } finally {
      await handle.close();
    }
    return true;
  } catch {
    return false;
  }
}

/** Appends to a file someone else owns (the GitHub step summary, a scratch copy's file), keeping what is there. */
export async function appendText(file: string, text: string): Promise<void> {
  await appendFile(file, text).catch((err: unknown) => {
    throw writeProblem(file, err);
  });
}
