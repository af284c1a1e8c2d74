import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError, errorMessage, UsageError } from '../errors.js';
import { parseJsonFile } from '../config/load.js';
import { type Results, ResultsSchema, SCHEMA_VERSION } from './schema.js';

/** Creates the folder if needed and checks it can be written, before anything is measured. */
export async function ensureWritableDir(dir: string, what: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new UsageError(`${what}: cannot write there (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)})`, 'pass --out <dir> with a folder you can write');
  }
}

/** Writes via a temporary file and a rename, so a reader never sees half a file. */
export async function writeAtomic(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

/** `<out>/latest.json` and `<out>/runs/<createdAt>.json`; validated first, since the file is the contract. */
export async function writeResults(outDir: string, results: Results): Promise<string> {
  const valid = ResultsSchema.parse(results);
  const json = `${JSON.stringify(valid, null, 2)}\n`;
  const stamp = valid.createdAt.replace(/[:.]/g, '-');
  await writeAtomic(join(outDir, 'runs', `${stamp}.json`), json);
  const latest = join(outDir, 'latest.json');
  await writeAtomic(latest, json);
  return latest;
}

export async function readResults(file: string): Promise<Results> {
  const parsed = await parseJsonFile(file, ResultsSchema);
  if ('data' in parsed) return parsed.data;
  const version = await readFile(file, 'utf8').then((t) => (JSON.parse(t) as { schemaVersion?: unknown }).schemaVersion).catch(() => undefined);
  if (version !== undefined && version !== SCHEMA_VERSION) {
    throw new ConfigError(`${file} has schemaVersion ${JSON.stringify(version)}; this stagebench reads schemaVersion ${SCHEMA_VERSION}`, 'use the stagebench version that wrote it, or measure again with this one');
  }
  throw new ConfigError(
    `${file} is not a stagebench results file:\n${parsed.problems.map((l) => `  - ${l}`).join('\n')}`,
    'run `stagebench run` first, or pass a results JSON written by this version of stagebench',
  );
}
