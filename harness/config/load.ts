import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';

/** Every problem in a zod error, one per line, with the JSON path that has it. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `${where}: ${issue.message}`;
  });
}

/** Reads and validates a JSON file; all problems are reported at once in one ConfigError. */
export async function loadJsonFile<T extends z.ZodType>(file: string, schema: T, what: string): Promise<z.infer<T>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${what} ${file}`, 'check the path and its permissions', { cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${what} ${file} is not valid JSON: ${(err as Error).message}`, 'fix the JSON syntax', {
      cause: err,
    });
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const lines = formatIssues(parsed.error).map((l) => `  - ${l}`);
    throw new ConfigError(`${what} ${file} has ${lines.length} problem(s):\n${lines.join('\n')}`, `fix the listed fields; the README documents ${what}`);
  }
  return parsed.data;
}
