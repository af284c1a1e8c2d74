import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFileSchema } from '../../../harness/config/schemas.js';
import { ConfigError } from '../../../harness/errors.js';
import { declaredScenarios } from '../../../harness/scenarios/declared.js';
import { discoverScenarios } from '../../../harness/scenarios/discover.js';
import { chooseReference } from '../../../harness/scenarios/reference.js';
import { writeTree } from '../file-tree.js';

let repo: string;
const tree = (files: Record<string, string>) => writeTree(repo, files);
const config = (scenarios: unknown) => ConfigFileSchema.parse({ scenarios });
beforeEach(() => (repo = mkdtempSync(join(tmpdir(), 'sb-ref-'))));
afterEach(() => rmSync(repo, { recursive: true, force: true }));

test('the default: single when the scenario has it, wherever it is; else the first variant in the config order', () => {
  expect(chooseReference(['multi', 'alpine', 'single'], undefined, 'x')).toEqual({ reference: 'single' });
  expect(chooseReference(['prod', 'dev'], undefined, 'x')).toEqual({ reference: 'prod' });
  expect(chooseReference(['default'], undefined, 'x')).toEqual({ reference: 'default' });
});

test('an explicit reference is used, single or not', () => {
  expect(chooseReference(['single', 'multi'], 'multi', 'x')).toEqual({ reference: 'multi' });
  expect(chooseReference(['default', 'dev', 'prod'], 'dev', 'x')).toEqual({ reference: 'dev' });
});

test('an unknown reference names the scenario key, the closest variant and all of them', () => {
  expect(chooseReference(['default', 'dev', 'prod'], 'prd', 'scenarios.web.reference')).toEqual({
    problem: 'scenarios.web.reference: no variant "prd" (did you mean "prod"?); the scenario\'s variants: default, dev, prod',
  });
  expect(chooseReference(['default', 'dev'], 'staging', 'scenarios.web.reference')).toEqual({
    problem: 'scenarios.web.reference: no variant "staging"; the scenario\'s variants: default, dev',
  });
});

test('declared scenarios: the default, an explicit reference, a matrix id, and an unknown one as a config problem', () => {
  tree({ 'web/Dockerfile': 'FROM x', 'web/Dockerfile.dev': 'FROM x' });
  const variants = { default: { dockerfile: 'web/Dockerfile' }, dev: { dockerfile: 'web/Dockerfile.dev' } };
  const file = join(repo, 'stagebench.config.json');
  const ok = declaredScenarios(
    file,
    config({
      a: { context: 'web', variants },
      b: { context: 'web', variants, reference: 'dev' },
      c: { context: 'web', matrix: { target: ['build', 'runtime'] }, reference: 'runtime' },
      d: { context: 'web', variants: { single: { dockerfile: 'web/Dockerfile.dev' }, multi: { dockerfile: 'web/Dockerfile' } } },
    }),
  );
  expect(ok.problems).toEqual([]);
  expect(ok.scenarios.map((s) => [s.name, s.reference])).toEqual([
    ['a', 'default'],
    ['b', 'dev'],
    ['c', 'runtime'],
    ['d', 'single'],
  ]);
  const bad = declaredScenarios(file, config({ b: { context: 'web', variants, reference: 'deafult' } }));
  expect(bad).toEqual({ scenarios: [], problems: ['scenarios.b.reference: no variant "deafult" (did you mean "default"?); the scenario\'s variants: default, dev'] });
});

test('a scenario folder: single by default, scenario.json may name another, an unknown one is a config error', async () => {
  tree({ 'scenarios/app/Dockerfile.single': 'FROM x', 'scenarios/app/Dockerfile': 'FROM x', 'scenarios/app/Dockerfile.alpine': 'FROM x' });
  expect((await discoverScenarios(join(repo, 'scenarios'))).map((s) => s.reference)).toEqual(['single']);
  writeFileSync(join(repo, 'scenarios/app/scenario.json'), JSON.stringify({ reference: 'multi' }));
  expect((await discoverScenarios(join(repo, 'scenarios'))).map((s) => s.reference)).toEqual(['multi']);
  writeFileSync(join(repo, 'scenarios/app/scenario.json'), JSON.stringify({ reference: 'alpin' }));
  const err = (await discoverScenarios(join(repo, 'scenarios')).catch((e: unknown) => e)) as ConfigError;
  expect(err).toBeInstanceOf(ConfigError);
  expect(err.message).toBe(
    `1 problem in ${join(repo, 'scenarios')}:\n  - app: scenario.json: reference: no variant "alpin" (did you mean "alpine"?); the scenario's variants: single, multi, alpine`,
  );
});
