import { readFileSync } from 'node:fs';
import { ResultsSchema, resultsJsonSchema } from '../../../harness/results/schema.js';
import { results, variant } from '../results-fixture.js';

test('docs/results.schema.json is generated from the zod schema (run npm run schema after changing it)', () => {
  expect(readFileSync(new URL('../../../docs/results.schema.json', import.meta.url), 'utf8')).toBe(resultsJsonSchema());
});

test('the schema rejects what the contract forbids', () => {
  const ok = results([variant('single', { sizeBytes: 1 })]);
  expect(ResultsSchema.safeParse(ok).success).toBe(true);
  const bad = [
    { ...ok, schemaVersion: 3 },
    { ...ok, extra: true },
    results([variant('single', { sizeBytes: 1.5 })]),
    results([variant('single', { sizeBytes: -1 })]),
    results([variant('single', { status: 'skipped' as never })]),
  ];
  for (const doc of bad) expect(ResultsSchema.safeParse(doc).success).toBe(false);
});

test('a version-1 file (before start-up, layers, waste and packages) is read as version 2', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { readResults } = await import('../../../harness/results/io.js');
  const file = join(mkdtempSync(join(tmpdir(), 'sb-v1-')), 'v1.json');
  writeFileSync(file, JSON.stringify({ ...results([variant('single', { sizeBytes: 1 })]), schemaVersion: 1 }));
  expect((await readResults(file)).schemaVersion).toBe(2);
});
