import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFileSchema } from '../../../harness/config/schemas.js';
import { formatIssues } from '../../../harness/json-file.js';
import { ConfigError } from '../../../harness/errors.js';
import { declaredScenarios, expandMatrix } from '../../../harness/scenarios/declared.js';
import { discoverScenarios, scenarioNames, variantOptions } from '../../../harness/scenarios/discover.js';
import { writeTree } from '../file-tree.js';

let repo: string;
const tree = (files: Record<string, string>) => writeTree(repo, files);
const config = (scenarios: unknown) => ConfigFileSchema.parse({ scenarios });
beforeEach(() => (repo = mkdtempSync(join(tmpdir(), 'sb-decl-'))));
afterEach(() => rmSync(repo, { recursive: true, force: true }));

test("the issue's example: a context with two variants of one Dockerfile, and a single-image scenario with a target", () => {
  tree({ 'services/api/Dockerfile': 'FROM x', Dockerfile: 'FROM x AS runtime' });
  const { scenarios, problems } = declaredScenarios(
    join(repo, 'stagebench.config.json'),
    config({
      api: { context: 'services/api', variants: { current: { dockerfile: 'services/api/Dockerfile' }, slim: { dockerfile: 'services/api/Dockerfile', buildArgs: { BASE: 'node:20-slim' } } } },
      web: { context: '.', dockerfile: 'Dockerfile', target: 'runtime' },
    }),
  );
  expect(problems).toEqual([]);
  expect(scenarios.map((s) => ({ ...s, dir: s.dir.replace(repo, '<repo>') }))).toEqual([
    {
      name: 'api',
      dir: '<repo>/services/api',
      variants: [
        { id: 'current', dockerfile: 'services/api/Dockerfile', path: 'Dockerfile' },
        { id: 'slim', dockerfile: 'services/api/Dockerfile', path: 'Dockerfile' },
      ],
      // No variant "single" and no "reference": the first in the config's order is the one the others are compared with.
      reference: 'current',
      file: { variants: { slim: { buildArgs: { BASE: 'node:20-slim' } } } },
    },
    { name: 'web', dir: '<repo>', variants: [{ id: 'default', dockerfile: 'Dockerfile', path: 'Dockerfile' }], reference: 'default', file: { target: 'runtime' } },
  ]);
  expect(variantOptions(scenarios[0]!, 'slim')).toEqual({ buildArgs: { BASE: 'node:20-slim' } });
});

test('a Dockerfile outside its context is named by its absolute path (the engine sends it as -f does)', () => {
  tree({ 'docker/api.Dockerfile': 'FROM x', 'services/api/app.js': '' });
  const { scenarios, problems } = declaredScenarios(join(repo, 'stagebench.config.json'), config({ api: { context: 'services/api', dockerfile: 'docker/api.Dockerfile' } }));
  expect(problems).toEqual([]);
  expect(scenarios[0]?.variants).toEqual([{ id: 'default', dockerfile: 'docker/api.Dockerfile', path: join(repo, 'docker/api.Dockerfile') }]);
});

test('a matrix: one variant per combination, first key slowest, readable ids, target picks the stage', () => {
  expect(expandMatrix({ BASE: ['node:20', 'node:20-slim'], target: ['runtime', 'debug'] })).toEqual([
    { id: 'node-20_runtime', options: { buildArgs: { BASE: 'node:20' }, target: 'runtime' }, values: 'BASE=node:20, target=runtime' },
    { id: 'node-20_debug', options: { buildArgs: { BASE: 'node:20' }, target: 'debug' }, values: 'BASE=node:20, target=debug' },
    { id: 'node-20-slim_runtime', options: { buildArgs: { BASE: 'node:20-slim' }, target: 'runtime' }, values: 'BASE=node:20-slim, target=runtime' },
    { id: 'node-20-slim_debug', options: { buildArgs: { BASE: 'node:20-slim' }, target: 'debug' }, values: 'BASE=node:20-slim, target=debug' },
  ]);
  tree({ Dockerfile: 'FROM x' });
  const { scenarios } = declaredScenarios(join(repo, 'c.json'), config({ app: { matrix: { BASE: ['a:1', 'b:2'] } } }));
  expect(scenarios[0]?.variants.map((v) => v.id)).toEqual(['a-1', 'b-2']);
  expect(scenarios[0]?.file.variants).toEqual({ 'a-1': { buildArgs: { BASE: 'a:1' } }, 'b-2': { buildArgs: { BASE: 'b:2' } } });
});

test('every problem of the declarations at once, each naming its config key', () => {
  tree({ Dockerfile: 'FROM x' });
  const { problems } = declaredScenarios(
    join(repo, 'c.json'),
    config({
      clash: { matrix: { BASE: ['node:20', 'node-20', 'Node:20'] } },
      empty: { matrix: { BASE: [':::'] } },
      nocontext: { context: 'services/none' },
      nofile: { variants: { a: { dockerfile: 'nope/Dockerfile' }, 'b c': {} } },
    }),
  );
  expect(problems).toEqual([
    'scenarios.clash.matrix (BASE=node:20) and scenarios.clash.matrix (BASE=node-20) and scenarios.clash.matrix (BASE=Node:20): the names "node-20", "node-20", "Node-20" are the same image name "node-20" once lower-cased: rename all but one',
    'scenarios.empty.matrix.BASE: the value ":::" has no letter or digit to make a variant id from',
    'scenarios.nocontext.context: "services/none" is not a folder (paths are relative to the config file)',
    'scenarios.nocontext.context: no Dockerfile at "services/none/Dockerfile" (paths are relative to the config file; the default is Dockerfile in the context)',
    'scenarios.nofile.variants.b c: the name "b c" has a space: use only letters a-z, digits, ".", "_" and "-"',
    'scenarios.nofile.variants.a.dockerfile: no Dockerfile at "nope/Dockerfile" (paths are relative to the config file; the default is Dockerfile in the context)',
  ]);
});

test('the schema: unknown keys refused, variants and matrix not both, every problem at once', () => {
  const parsed = ConfigFileSchema.safeParse({ scenarios: { a: { contxt: '.', variants: { x: { dockerfil: 'D' } }, matrix: { A: [] } }, b: { variants: {}, matrix: { A: ['1'] } } } });
  expect(parsed.success).toBe(false);
  expect(formatIssues(parsed.error!)).toEqual([
    'scenarios.a.variants.x: Unrecognized key: "dockerfil"',
    'scenarios.a.matrix.A: Too small: expected array to have >=1 items',
    'scenarios.a: Unrecognized key: "contxt"',
    'scenarios.a: give "variants" or "matrix", not both',
    'scenarios.b: give "variants" or "matrix", not both',
  ]);
});

test('declared and folder scenarios together: one name rule, a name used twice is an error, --scenario picks among all', async () => {
  tree({ 'scenarios/web/Dockerfile': 'FROM x', 'scenarios/web/Dockerfile.single': 'FROM x', 'services/api/Dockerfile': 'FROM x' });
  const declared = { file: join(repo, 'stagebench.config.json'), config: config({ api: { context: 'services/api' }, Web: { context: 'services/api' } }) };
  const err = (await discoverScenarios(join(repo, 'scenarios'), [], declared, repo).catch((e: unknown) => e)) as ConfigError;
  expect(err).toBeInstanceOf(ConfigError);
  // Both named relative to the working directory, as every config message names them.
  expect(err.message.split('\n')[0]).toBe('1 problem in scenarios and stagebench.config.json:');
  expect(err.message).toContain(`folder scenarios/web and stagebench.config.json: scenarios.Web: the names "web", "Web" are the same image name "web" once lower-cased`);
  const ok = { ...declared, config: config({ api: { context: 'services/api' } }) };
  expect((await discoverScenarios(join(repo, 'scenarios'), [], ok)).map((s) => s.name)).toEqual(['web', 'api']);
  expect((await discoverScenarios(join(repo, 'scenarios'), ['api'], ok)).map((s) => s.name)).toEqual(['api']);
  expect(await scenarioNames(join(repo, 'scenarios'), ok)).toEqual(['web', 'api']);
  // Without a scenarios folder, the declarations are enough.
  expect((await discoverScenarios(join(repo, 'none'), [], ok)).map((s) => s.name)).toEqual(['api']);
});
