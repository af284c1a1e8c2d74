import { readFileSync } from 'node:fs';
import { configJsonSchema } from '../../../harness/config/json-schema.js';

test('docs/config.schema.json is generated from the zod schema (run npm run schema after changing it)', () => {
  expect(readFileSync(new URL('../../../docs/config.schema.json', import.meta.url), 'utf8')).toBe(configJsonSchema());
});

test('the JSON Schema refuses unknown keys and knows the declared scenarios, as the loader does', () => {
  const schema = JSON.parse(configJsonSchema()) as { additionalProperties: boolean; properties: Record<string, { additionalProperties: { properties: Record<string, unknown>; additionalProperties: boolean } }> };
  expect(schema.additionalProperties).toBe(false);
  const scenario = schema.properties.scenarios!.additionalProperties;
  expect(scenario.additionalProperties).toBe(false);
  expect(Object.keys(scenario.properties)).toEqual(expect.arrayContaining(['context', 'dockerfile', 'variants', 'matrix', 'smoke', 'contains', 'incremental', 'profiles', 'network']));
});
