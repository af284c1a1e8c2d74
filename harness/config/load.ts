import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { parseJsonFile } from '../json-file.js';

/** As parseJsonFile, raising all problems together in one ConfigError; `shown`: how the message names the file (shownPath). */
export async function loadJsonFile<T extends z.ZodType>(file: string, schema: T, what: string, shown = file): Promise<z.infer<T>> {
  const result = await parseJsonFile(file, schema);
  if ('data' in result) return result.data;
  const lines = result.problems.map((l) => `  - ${l}`);
  throw new ConfigError(`${what} ${shown} has ${lines.length} problem${lines.length === 1 ? '' : 's'}:\n${lines.join('\n')}`, `fix the listed fields; the README documents the ${what}`);
}
