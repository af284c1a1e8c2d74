import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { nearest } from './format/did-you-mean.js';

/** Every problem in a zod error, one per line, with the JSON path that has it. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    // A bad record key: its own check's message says what a key must be.
    const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    return `${where}: ${message}`;
  });
}

/**
 * The parse's message for a key the object does not take: the nearest key it does take, as for an unknown
 * flag ("did you mean"). Undefined (zod's own message) when no key is close.
 */
export const unknownKeyMessage: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const def = issue.inst?._zod.def;
  const known = def && 'shape' in def ? Object.keys(def.shape as object) : [];
  const named = issue.keys.map((key) => {
    const close = nearest(key, known);
    return close ? `"${key}" (did you mean "${close}"?)` : `"${key}"`;
  });
  return named.some((n) => n.includes('did you mean')) ? `Unrecognized key${named.length > 1 ? 's' : ''}: ${named.join(', ')}` : undefined;
};

/** Reads and validates a JSON file, returning every problem rather than the first. */
export async function parseJsonFile<T extends z.ZodType>(file: string, schema: T): Promise<{ data: z.infer<T> } | { problems: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { problems: [`cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`] };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { problems: [`not valid JSON: ${(err as Error).message}`] };
  }
  const parsed = schema.safeParse(data, { error: unknownKeyMessage });
  return parsed.success ? { data: parsed.data } : { problems: formatIssues(parsed.error) };
}
