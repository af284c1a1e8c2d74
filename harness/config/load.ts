import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { parseJsonFile } from '../json-file.js';

/** As parseJsonFile, raising all problems together in one ConfigError. */
export async function loadJsonFile<T extends z.ZodType>(file: string, schema: T, what: string): Promise<z.infer<T>> {
  const result = await parseJsonFile(file, schema);
  if ('data' in result) return result.data;
  const lines = result.problems.map((l) => `  - ${l}`);
  throw new ConfigError(`${what} ${file} has ${lines.length} problem(s):\n${lines.join('\n')}`, `fix the listed fields; the README documents the ${what}`);
}
