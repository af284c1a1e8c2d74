import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { parseJsonFile } from '../json-file.js';
import { READABLE_VERSIONS, type Results, ResultsSchema, SCHEMA_VERSION } from './schema.js';

/** The results as the JSON file holds them; validated first, since the file is the contract. */
export function serializeResults(results: Results): string {
  return `${JSON.stringify(ResultsSchema.parse(results), null, 2)}\n`;
}

export async function readResults(file: string): Promise<Results> {
  const parsed = await parseJsonFile(file, ResultsSchema);
  // An older version's file holds a subset of this one's fields: read, it is this version's.
  if ('data' in parsed) return { ...parsed.data, schemaVersion: SCHEMA_VERSION };
  const version = await readFile(file, 'utf8').then((t) => (JSON.parse(t) as { schemaVersion?: unknown }).schemaVersion).catch(() => undefined);
  if (version !== undefined && !(READABLE_VERSIONS as readonly unknown[]).includes(version)) {
    throw new ConfigError(`${file} has schemaVersion ${JSON.stringify(version)}; this stagebench reads schemaVersion ${READABLE_VERSIONS.join(' and ')}`, 'use the stagebench version that wrote it, or measure again with this one');
  }
  throw new ConfigError(
    `${file} is not a stagebench results file:\n${parsed.problems.map((l) => `  - ${l}`).join('\n')}`,
    'run `stagebench run` first, or pass a results JSON written by this version of stagebench',
  );
}
