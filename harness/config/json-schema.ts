import { z } from 'zod';
import { ConfigFileSchema } from './schemas.js';

/**
 * The config file's JSON Schema, for editors (`"$schema"` in stagebench.config.json): generated from the zod
 * schema the loader uses, as the input it accepts (quantities such as "10 MB" are strings there).
 */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(ConfigFileSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'stagebench.config.json' }, null, 2)}\n`;
}
