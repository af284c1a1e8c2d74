import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverScenarios, variantOptions, variantsFromFiles } from '../../../harness/scenarios/discover.js';
import { ConfigError, UsageError } from '../../../harness/errors.js';
import { ConfigFileSchema } from '../../../harness/config/schemas.js';
import { exitCode } from '../../../harness/cli/exit-code.js';

let root: string;
function scenario(name: string, files: Record<string, string>): void {
  mkdirSync(join(root, name), { recursive: true });
  for (const [f, c] of Object.entries(files)) writeFileSync(join(root, name, f), c);
}
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'sb-scn-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('variant ids: single and multi first, then Dockerfile.<v> sorted; ignore files skipped', () => {
  const { variants, problems } = variantsFromFiles(['Dockerfile.prod', 'Dockerfile', 'Dockerfile.single', 'Dockerfile.alpha', 'Dockerfile.single.dockerignore', 'app.js']);
  expect(problems).toEqual([]);
  expect(variants).toEqual([
    { id: 'single', dockerfile: 'Dockerfile.single', path: 'Dockerfile.single' },
    { id: 'multi', dockerfile: 'Dockerfile', path: 'Dockerfile' },
    { id: 'alpha', dockerfile: 'Dockerfile.alpha', path: 'Dockerfile.alpha' },
    { id: 'prod', dockerfile: 'Dockerfile.prod', path: 'Dockerfile.prod' },
  ]);
  // Variant ids follow the one name rule (names.ts): upper case is fine alone, a lower-case twin is not.
  expect(variantsFromFiles(['Dockerfile.multi', 'Dockerfile.Alpine', 'Dockerfile.alpine', 'Dockerfile.go app', 'Dockerfile.x-']).problems).toEqual([
    'Dockerfile.multi clashes with the id "multi" of Dockerfile: rename it',
    'Dockerfile.go app (variant id "go app"): the name "go app" has a space: use only letters a-z, digits, ".", "_" and "-"',
    'Dockerfile.x- (variant id "x-"): the name "x-" must start and end with a letter or digit, with ".", "_", "__" or "-" only between them (no "..", "_-" or "___")',
    'Dockerfile.Alpine (variant id "Alpine") and Dockerfile.alpine (variant id "alpine"): the names "Alpine", "alpine" are the same image name "alpine" once lower-cased: rename all but one',
  ]);
  expect(variantsFromFiles(['Dockerfile.Alpine']).problems).toEqual([]);
});

test('finds scenarios sorted, skips folders with no Dockerfile, filters by name', async () => {
  scenario('b', { Dockerfile: '', 'Dockerfile.single': '' });
  scenario('a', { Dockerfile: '', 'Dockerfile.single': '', 'scenario.json': '{"description":"A"}' });
  scenario('notes', { 'README.md': '' });
  const all = await discoverScenarios(root);
  expect(all.map((s) => [s.name, s.file.description])).toEqual([['a', 'A'], ['b', undefined]]);
  expect((await discoverScenarios(root, ['b'])).map((s) => s.name)).toEqual(['b']);
});

test('every problem at once: half pairs, bad scenario.json, unknown variant, unknown --scenario', async () => {
  scenario('half', { Dockerfile: '' });
  scenario('other-half', { 'Dockerfile.single': '' });
  scenario('badjson', { Dockerfile: '', 'Dockerfile.single': '', 'scenario.json': '{"network":"bridge","colour":1}' });
  scenario('unknownvariant', { Dockerfile: '', 'Dockerfile.single': '', 'scenario.json': '{"variants":{"prod":{}}}' });
  const err = await discoverScenarios(root, ['half', 'other-half', 'badjson', 'unknownvariant', 'nope']).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  const message = (err as ConfigError).message;
  expect(message.split('\n')[0]).toBe(`6 problems in ${root} and --scenario:`);
  expect(message).toContain('--scenario nope: no such scenario (found: badjson, half, other-half, unknownvariant)');
  expect(message).toContain('half: has no Dockerfile.single');
  expect(message).toContain('other-half: has no Dockerfile;');
  expect(message).toContain('network: Invalid option');
  expect(message).toContain('Unrecognized key: "colour"');
  expect(message).toContain('unknownvariant: scenario.json names variant "prod", which has no Dockerfile (known: single, multi)');
});

test('--scenario naming no scenario, alone, is a usage error of the flag with the names it was likely meant as', async () => {
  for (const name of ['api-api', 'web', 'worker']) scenario(name, { Dockerfile: '', 'Dockerfile.single': '' });
  const refused = async (only: string[]) => {
    const err = (await discoverScenarios(root, only).catch((e: unknown) => e)) as UsageError;
    expect(err).toBeInstanceOf(UsageError);
    expect(exitCode({ kind: 'error', error: err })).toBe(2);
    return { message: err.message, hint: err.hint };
  };
  expect(await refused(['api'])).toEqual({ message: '--scenario api: no such scenario; did you mean api-api?', hint: 'pass --scenario api-api; the scenarios are: api-api, web, worker' });
  expect(await refused(['wbe'])).toEqual({ message: '--scenario wbe: no such scenario; did you mean web?', hint: 'pass --scenario web; the scenarios are: api-api, web, worker' });
  expect(await refused(['web', 'nothing'])).toEqual({ message: '--scenario nothing: no such scenario', hint: 'the scenarios are: api-api, web, worker' });
  expect(await refused(['x1', 'x2'])).toEqual({ message: '--scenario x1, --scenario x2: no such scenarios', hint: 'the scenarios are: api-api, web, worker' });
});

test('a misspelt key in scenario.json names the key it was probably meant to be', async () => {
  scenario('app', { Dockerfile: '', 'Dockerfile.single': '', 'scenario.json': '{"netwrok":"host"}' });
  const err = await discoverScenarios(root, []).catch((e: unknown) => e);
  expect((err as ConfigError).message).toContain('Unrecognized key: "netwrok" (did you mean "network"?)');
});

test('folder names follow the one rule: go app, go|app and Go-App no longer become one image', async () => {
  for (const name of ['go app', 'go|app', 'Go-App', 'go-app', 'café', 'fine']) scenario(name, { Dockerfile: '', 'Dockerfile.single': '' });
  scenario('not a scenario', { 'README.md': '' });
  const err = (await discoverScenarios(root).catch((e: unknown) => e)) as ConfigError;
  expect(err).toBeInstanceOf(ConfigError);
  expect(exitCode({ kind: 'error', error: err })).toBe(2);
  const lines = err.message.split('\n').slice(1).map((l) => l.replaceAll(`${root}/`, ''));
  expect(lines).toEqual([
    '  - folder café: the name "café" has "é": use only letters a-z, digits, ".", "_" and "-"',
    '  - folder go app: the name "go app" has a space: use only letters a-z, digits, ".", "_" and "-"',
    '  - folder go|app: the name "go|app" has "|": use only letters a-z, digits, ".", "_" and "-"',
    '  - folder Go-App and folder go-app: the names "Go-App", "go-app" are the same image name "go-app" once lower-cased: rename all but one',
  ]);
});

test('a missing scenarios folder and an empty one are config errors', async () => {
  await expect(discoverScenarios(join(root, 'nope'))).rejects.toThrow(/does not exist/);
  await expect(discoverScenarios(root)).rejects.toThrow(/no scenarios/);
});

test('options merge: scenario < profile < variant', () => {
  const s = {
    name: 's',
    dir: '',
    variants: [],
    reference: 'single',
    file: {
      network: 'none' as const,
      buildArgs: { A: 'scenario', B: 'scenario' },
      profiles: { offline: { network: 'host' as const, buildArgs: { B: 'profile' } } },
      variants: { multi: { target: 'final', buildArgs: { A: 'variant' } } },
    },
  };
  expect(variantOptions(s, 'multi', 'offline')).toEqual({ network: 'host', target: 'final', buildArgs: { A: 'variant', B: 'profile' } });
  expect(variantOptions(s, 'single')).toEqual({ network: 'none', buildArgs: { A: 'scenario', B: 'scenario' } });
});

test("the lesson's scenarios/ give the variants of the committed reference run, with the config file in place", async () => {
  const project = new URL('../../../', import.meta.url).pathname;
  const reference = JSON.parse(readFileSync(join(project, 'docs/reference/results.json'), 'utf8')) as { scenarios: { name: string; variants: { id: string; dockerfile: string }[] }[] };
  const configFile = join(project, 'stagebench.config.json');
  const declared = { file: configFile, config: ConfigFileSchema.parse(JSON.parse(readFileSync(configFile, 'utf8'))) };
  const scenarios = await discoverScenarios(join(project, 'scenarios'), [], declared);
  const shape = (list: { name: string; variants: { id: string; dockerfile: string }[] }[]) => list.map((s) => [s.name, s.variants.map((v) => [v.id, v.dockerfile])]);
  expect(shape(scenarios)).toEqual(shape(reference.scenarios));
  expect(scenarios.every((s) => s.dir === join(project, 'scenarios', s.name) && s.variants.every((v) => v.path === v.dockerfile))).toBe(true);
});
