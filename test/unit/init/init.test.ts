import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFileSchema } from '../../../harness/config/schemas.js';
import { ConfigError } from '../../../harness/errors.js';
import { findDockerfiles, isDockerfileName } from '../../../harness/init/find-dockerfiles.js';
import { guessContext } from '../../../harness/init/guess-context.js';
import { groupDockerfiles, nameParts } from '../../../harness/init/group-dockerfiles.js';
import { bulkSent, initialConfig, outputSent, scenarioNameFor, writeInitialConfig } from '../../../harness/init/write-config.js';
import { compareToReference } from '../../../harness/results/summarize.js';
import type { VariantResult } from '../../../harness/results/schema.js';
import { nameProblem, nameProblems } from '../../../harness/scenarios/names.js';
import { initCommand, nextSteps, scenarioLines } from '../../../harness/cli/init-command.js';
import { discoverScenarios } from '../../../harness/scenarios/discover.js';
import { writeTree } from '../file-tree.js';

const REPO = new URL('../../fixtures/repo', import.meta.url).pathname;

let dir: string;
const tree = (files: Record<string, string>) => writeTree(dir, files);
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sb-init-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test.each([
  ['Dockerfile', true],
  ['Dockerfile.dev', true],
  ['api.Dockerfile', true],
  ['api.dockerfile', true],
  ['Dockerfile.dockerignore', false],
  ['api.Dockerfile.dockerignore', false],
  ['dockerfile-notes.md', false],
])('%s is a Dockerfile: %s', (name, expected) => expect(isDockerfileName(name)).toBe(expected));

test('finds the Dockerfiles, skipping node_modules, .git and .gitignore (nested ones for their own folder)', async () => {
  tree({
    Dockerfile: '',
    'node_modules/pkg/Dockerfile': '',
    '.git/Dockerfile': '',
    '.gitignore': 'dist/\n*.local\n',
    'dist/Dockerfile': '',
    'app/Dockerfile.local': '',
    'app/Dockerfile.dev': '',
    'app/.gitignore': 'gen/\n',
    'app/gen/Dockerfile': '',
    'other/gen/Dockerfile': '',
  });
  expect(await findDockerfiles(dir)).toEqual(['Dockerfile', 'app/Dockerfile.dev', 'other/gen/Dockerfile']);
  expect(await findDockerfiles(REPO)).toEqual(['Dockerfile', 'docker/api.Dockerfile', 'services/api/Dockerfile', 'services/tool/Dockerfile', 'services/worker/Dockerfile', 'services/worker/Dockerfile.slim']);
});

test('the context: its own folder when what it copies is there, else the nearest folder above that has it all', () => {
  tree({ 'shared/a.txt': '', 'svc/x/app.txt': '', 'svc/lib/l.txt': '' });
  expect(guessContext(dir, 'svc/x/Dockerfile', ['app.txt', './app.txt'])).toEqual({ context: 'svc/x', reason: 'what it copies is in its own folder' });
  expect(guessContext(dir, 'svc/x/Dockerfile', ['shared/a.txt', 'svc/x/app.txt']).context).toBe('.');
  expect(guessContext(dir, 'svc/x/Dockerfile', ['lib/*.txt'])).toEqual({ context: 'svc', reason: 'it copies lib, found from svc' });
  expect(guessContext(dir, 'svc/x/Dockerfile', [])).toEqual({ context: 'svc/x', reason: 'it copies nothing from a context: its own folder' });
  expect(guessContext(dir, 'svc/x/Dockerfile', ['made-by-build.bin']).context).toBe('svc/x');
  // Variables cannot be resolved before the build: they do not decide.
  expect(guessContext(dir, 'svc/x/Dockerfile', ['$SRC', 'app.txt']).context).toBe('svc/x');
});

test('scenario names: the folder, the label, a longer path on a clash, always valid', () => {
  const taken = new Set<string>();
  const name = ([folder, label]: [string, string]) => {
    const n = scenarioNameFor(folder, label, 'shop', taken);
    taken.add(n);
    return n;
  };
  const asked: [string, string][] = [['.', ''], ['.', 'dev'], ['services/api', ''], ['legacy/api', ''], ['docker', 'Web App'], ['Go|Svc', ''], ['services/api', '']];
  expect(asked.map(name)).toEqual(['shop', 'shop-dev', 'api', 'legacy-api', 'docker-web-app', 'go-svc', 'services-api']);
});

test.each([
  ['Dockerfile', { image: '', flavour: '', plain: true }],
  ['Dockerfile.prod', { image: '', flavour: 'prod', plain: false }],
  // Dockerfile.<x> is always a flavour of the folder's app, whatever x is.
  ['Dockerfile.api', { image: '', flavour: 'api', plain: false }],
  ['Dockerfile.api.prod', { image: '', flavour: 'api.prod', plain: false }],
  ['prod.Dockerfile', { image: '', flavour: 'prod', plain: false }],
  ['Production.dockerfile', { image: '', flavour: 'Production', plain: false }],
  ['api.Dockerfile', { image: 'api', flavour: '', plain: true }],
  ['api.dev.Dockerfile', { image: 'api', flavour: 'dev', plain: false }],
  ['billing-api-slim.Dockerfile', { image: 'billing-api', flavour: 'slim', plain: false }],
  ['web_test.Dockerfile', { image: 'web', flavour: 'test', plain: false }],
  ['my-service.Dockerfile', { image: 'my-service', flavour: '', plain: true }],
  ['.Dockerfile', { image: '', flavour: '', plain: false }],
])('%s names image and flavour %j', (file, expected) => expect(nameParts(file)).toEqual(expected));

const found = (context: string, ...dockerfiles: string[]) => dockerfiles.map((dockerfile) => ({ dockerfile, context }));

test('Dockerfile and Dockerfile.<x> of one folder and context: one group, the plain Dockerfile is "default" and the reference, the others by id', () => {
  expect(groupDockerfiles(found('app', 'app/Dockerfile', 'app/Dockerfile.prod', 'app/Dockerfile.dev', 'app/dev.Dockerfile'))).toEqual({
    groups: [
      {
        folder: 'app',
        image: '',
        context: 'app',
        variants: [
          { id: 'default', dockerfile: 'app/Dockerfile' },
          { id: 'dev', dockerfile: 'app/Dockerfile.dev' },
          { id: 'dev-2', dockerfile: 'app/dev.Dockerfile' },
          { id: 'prod', dockerfile: 'app/Dockerfile.prod' },
        ],
        reference: 'the plain one',
      },
    ],
    notes: [],
  });
});

test('no plain Dockerfile: every variant named for its file, the first by id the reference, and says why', () => {
  const { groups } = groupDockerfiles(found('.', 'Dockerfile.prod', 'Dockerfile.dev'));
  expect(groups).toEqual([
    {
      folder: '.',
      image: '',
      context: '.',
      variants: [
        { id: 'dev', dockerfile: 'Dockerfile.dev' },
        { id: 'prod', dockerfile: 'Dockerfile.prod' },
      ],
      reference: 'the first by id: there is no plain Dockerfile',
    },
  ]);
});

test('<name>.Dockerfile is an image of its own unless <name> is a flavour; <image>.<flavour>.Dockerfile joins its image', () => {
  const { groups } = groupDockerfiles(found('deploy', 'deploy/Dockerfile', 'deploy/api.Dockerfile', 'deploy/api.dev.Dockerfile', 'deploy/prod.Dockerfile', 'deploy/worker.Dockerfile'));
  expect(groups.map((g) => [g.image, g.variants.map((v) => `${v.id}=${v.dockerfile}`)])).toEqual([
    ['', ['default=deploy/Dockerfile', 'prod=deploy/prod.Dockerfile']],
    ['api', ['default=deploy/api.Dockerfile', 'dev=deploy/api.dev.Dockerfile']],
    ['worker', ['default=deploy/worker.Dockerfile']],
  ]);
  expect(groups[2]!.reference).toBeUndefined();
});

test('the lesson layout keeps its ids: Dockerfile.single is "single", Dockerfile "multi", before any Dockerfile.multi', () => {
  const { groups } = groupDockerfiles(found('go', 'go/Dockerfile', 'go/Dockerfile.multi', 'go/Dockerfile.scratch', 'go/Dockerfile.single'));
  expect(groups[0]!.variants).toEqual([
    { id: 'single', dockerfile: 'go/Dockerfile.single' },
    { id: 'multi', dockerfile: 'go/Dockerfile' },
    { id: 'multi-2', dockerfile: 'go/Dockerfile.multi' },
    { id: 'scratch', dockerfile: 'go/Dockerfile.scratch' },
  ]);
  expect(groups[0]!.reference).toBe('as in the lesson scenarios, where Dockerfile is "multi"');
});

test('the config init writes: "reference" beside the variants; the lesson layout keeps single and multi, a dev/prod pair names its first', async () => {
  tree({ 'go/Dockerfile.single': 'FROM x\n', 'go/Dockerfile': 'FROM x\n', 'web/Dockerfile.dev': 'FROM x\n', 'web/Dockerfile.prod': 'FROM x\n' });
  const { config } = await initialConfig(dir, join(dir, 'stagebench.config.json'));
  expect(config.scenarios).toEqual({
    go: { context: 'go', reference: 'single', variants: { single: { dockerfile: 'go/Dockerfile.single' }, multi: { dockerfile: 'go/Dockerfile' } } },
    web: { context: 'web', reference: 'dev', variants: { dev: { dockerfile: 'web/Dockerfile.dev' }, prod: { dockerfile: 'web/Dockerfile.prod' } } },
  });
  const parsed = ConfigFileSchema.parse(JSON.parse(JSON.stringify(config)));
  const scenarios = await discoverScenarios(join(dir, 'none'), [], { file: join(dir, 'stagebench.config.json'), config: parsed });
  expect(scenarios.map((s) => [s.name, s.reference])).toEqual([
    ['go', 'single'],
    ['web', 'dev'],
  ]);
});

test('variant ids are valid and unique whatever the file names: lower case, clashes numbered, digits prefixed', () => {
  const { groups } = groupDockerfiles(found('.', 'Dockerfile', 'Dockerfile.Prod', 'prod.Dockerfile', 'Dockerfile.2', 'Dockerfile.my..weird name', 'Dockerfile.', `Dockerfile.${'x'.repeat(200)}`, 'Dockerfile.-_-'));
  const ids = groups[0]!.variants.map((v) => v.id);
  expect(ids).toEqual(['default', 'dockerfile', 'dockerfile-2', 'my-weird-name', 'prod', 'prod-2', 'v2', 'x'.repeat(100)]);
  // The plain Dockerfile claims "default" before a Dockerfile.default does.
  expect(groupDockerfiles(found('.', 'Dockerfile.default', 'Dockerfile')).groups[0]!.variants).toEqual([
    { id: 'default', dockerfile: 'Dockerfile' },
    { id: 'default-2', dockerfile: 'Dockerfile.default' },
  ]);
  expect(ids.filter((id) => nameProblem(id))).toEqual([]);
  expect(nameProblems(ids.map((name) => ({ name, where: name })))).toEqual([]);
});

test('one folder, two contexts: two scenarios, and a note that says why', () => {
  expect(groupDockerfiles([...found('app', 'app/Dockerfile', 'app/Dockerfile.prod'), ...found('.', 'app/Dockerfile.dev')])).toEqual({
    groups: [
      { folder: 'app', image: '', context: 'app', variants: [{ id: 'default', dockerfile: 'app/Dockerfile' }, { id: 'prod', dockerfile: 'app/Dockerfile.prod' }], reference: 'the plain one' },
      { folder: 'app', image: '', context: '.', variants: [{ id: 'default', dockerfile: 'app/Dockerfile.dev' }] },
    ],
    notes: ['app: the Dockerfiles build from different contexts (Dockerfile, Dockerfile.prod from app; Dockerfile.dev from .): a scenario has one context, so they are separate scenarios'],
  });
});

test('a subfolder whose Dockerfiles build from the root: one scenario named for the folder, context the root, "reference" written and compared with', async () => {
  tree({
    'package.json': '{}',
    'src/index.js': '',
    'docker/Dockerfile': 'FROM x\nCOPY package.json src/ /app/\n',
    'docker/Dockerfile.prod': 'FROM x AS build\nCOPY src /app/src\nFROM x\nCOPY --from=build /app /app\n',
  });
  const { config, scenarios } = await initialConfig(dir, join(dir, 'stagebench.config.json'));
  expect(config.scenarios).toEqual({ docker: { context: '.', reference: 'default', variants: { default: { dockerfile: 'docker/Dockerfile' }, prod: { dockerfile: 'docker/Dockerfile.prod' } } } });
  expect(scenarios).toEqual([{ name: 'docker', variants: [{ id: 'default', dockerfile: 'docker/Dockerfile' }, { id: 'prod', dockerfile: 'docker/Dockerfile.prod' }], reference: 'the plain one' }]);
  expect(config.$comment).toEqual(
    expect.arrayContaining([
      'docker: 2 variants, context .; "default" (docker/Dockerfile, the plain one) is the "reference", the one the others are compared with',
      'docker.default: docker/Dockerfile (it copies package.json, src, found from the repository root)',
      'docker.prod: docker/Dockerfile.prod (it copies src, found from the repository root)',
    ]),
  );
  const parsed = ConfigFileSchema.parse(JSON.parse(JSON.stringify(config)));
  const [scenario] = await discoverScenarios(join(dir, 'none'), [], { file: join(dir, 'stagebench.config.json'), config: parsed });
  expect(scenario!.variants.map((v) => [v.id, v.dockerfile])).toEqual([
    ['default', 'docker/Dockerfile'],
    ['prod', 'docker/Dockerfile.prod'],
  ]);
  expect(scenario!.reference).toBe('default');
  // What the run compares: every other variant against the "reference" init wrote.
  const sized = (id: string, sizeBytes: number) => ({ id, status: 'ok', sizeBytes, baseImages: ['x'] }) as unknown as VariantResult;
  expect(compareToReference([sized('default', 1000), sized('prod', 600)], scenario!.reference).map((c) => [c.variant, c.against, c.bytesSaved])).toEqual([['prod', 'default', 400]]);
});

test('the fixture repository: a scenario per folder and context, contexts guessed, $schema and notes, valid for the loader', async () => {
  const { config } = await initialConfig(REPO, join(REPO, 'stagebench.config.json'));
  expect(config.scenarios).toEqual({
    repo: { context: '.', dockerfile: 'Dockerfile' },
    'docker-api': { context: 'docker', dockerfile: 'docker/api.Dockerfile' },
    api: { context: 'services/api', dockerfile: 'services/api/Dockerfile' },
    tool: { context: 'services/tool', dockerfile: 'services/tool/Dockerfile' },
    worker: { context: '.', reference: 'default', variants: { default: { dockerfile: 'services/worker/Dockerfile' }, slim: { dockerfile: 'services/worker/Dockerfile.slim' } } },
  });
  expect(config.$schema).toBe('./node_modules/stagebench/docs/config.schema.json');
  expect(config.$comment).toEqual(
    expect.arrayContaining([
      'api: context services/api (what it copies is in its own folder); stages build, runtime, debug: the last is built, "target" picks another',
      'worker.default: services/worker/Dockerfile (it copies shared/greeting.txt, services/worker/payload, found from the repository root)',
      'worker.slim: services/worker/Dockerfile.slim (it copies services/worker/payload, found from the repository root)',
    ]),
  );
  const parsed = ConfigFileSchema.parse(JSON.parse(JSON.stringify(config)));
  const scenarios = await discoverScenarios(join(REPO, 'no-scenarios-folder'), [], { file: join(REPO, 'stagebench.config.json'), config: parsed });
  expect(scenarios.map((s) => [s.name, s.variants.map((v) => v.id)])).toEqual([
    ['repo', ['default']],
    ['docker-api', ['default']],
    ['api', ['default']],
    ['tool', ['default']],
    ['worker', ['default', 'slim']],
  ]);
  expect(scenarios.map((s) => s.reference)).toEqual(['default', 'default', 'default', 'default', 'default']);
});

test('init writes the file, and never overwrites one without force', async () => {
  tree({ 'app/Dockerfile': 'FROM x\nCOPY . .\n' });
  const file = join(dir, 'stagebench.config.json');
  await writeInitialConfig(dir, file, false);
  const first = readFileSync(file, 'utf8');
  expect(JSON.parse(first).scenarios).toEqual({ app: { context: 'app', dockerfile: 'app/Dockerfile' } });
  writeFileSync(file, '{"edited": true}');
  await expect(writeInitialConfig(dir, file, false)).rejects.toThrow(ConfigError);
  expect(readFileSync(file, 'utf8')).toBe('{"edited": true}');
  await writeInitialConfig(dir, file, true);
  expect(readFileSync(file, 'utf8')).toBe(first);
});

test('no Dockerfile: a config error that says where it looked', async () => {
  tree({ 'node_modules/x/Dockerfile': '' });
  await expect(initialConfig(dir, join(dir, 'c.json'))).rejects.toThrow(/no Dockerfile under .*node_modules, .git and what .gitignore ignores are not searched/);
});

test('what init prints fits 80 columns, and says that results/ does not belong in git', async () => {
  tree({
    Dockerfile: 'FROM x\n',
    'services/api/Dockerfile': 'FROM x\n',
    'services/worker/Dockerfile': 'FROM x\n',
    'services/billing-reconciler/Dockerfile': 'FROM x\n',
    'services/billing-reconciler/Dockerfile.production': 'FROM x\n',
    'services/billing-reconciler/Dockerfile.development': 'FROM x\n',
  });
  let out = '';
  await initCommand({ command: 'init', force: false }, { cwd: dir, stdout: { write: (t: string) => (out += t) } });
  expect(out.split('\n').filter((l) => [...l].length > 80)).toEqual([]);
  expect(out).toContain('git-ignore results/');
});

test('a context with node_modules or .git and no .dockerignore: init says every build sends them, and the fix', async () => {
  tree({ Dockerfile: 'FROM x\nCOPY web/ /w/\n', 'web/index.html': 'hi', 'node_modules/pkg/index.js': '', '.git/HEAD': '', 'services/api/Dockerfile': 'FROM x\n' });
  const say = async () => {
    let out = '';
    await initCommand({ command: 'init', force: true }, { cwd: dir, stdout: { write: (t: string) => (out += t) } });
    return out;
  };
  const out = await say();
  const name = Object.keys(JSON.parse(readFileSync(join(dir, 'stagebench.config.json'), 'utf8')).scenarios)[0];
  expect(out.replace(/\n {2}/g, ' ')).toContain(`note: ${name}'s context . has no .dockerignore, so every build sends node_modules and .git to the engine too (as docker build does; it counts in the build time): a .dockerignore that leaves them out is the fix\n`);
  expect(out).not.toContain("api's context");
  expect(out.split('\n').filter((l) => [...l].length > 80)).toEqual([]);
  // A .dockerignore (whatever it says: it is the user's choice) ends the note.
  writeFileSync(join(dir, '.dockerignore'), 'node_modules\n');
  expect(await say()).not.toContain('has no .dockerignore');
});

test('results/ inside a context and not in .dockerignore: init says stagebench leaves it out, docker build would not', async () => {
  tree({ Dockerfile: 'FROM x\nCOPY . /app/\n', 'app.js': '', 'services/api/Dockerfile': 'FROM x\nCOPY . /api/\n', 'services/api/a.js': '' });
  const say = async () => {
    let out = '';
    await initCommand({ command: 'init', force: true }, { cwd: dir, stdout: { write: (t: string) => (out += t) } });
    return out;
  };
  const out = await say();
  const root = Object.keys(JSON.parse(readFileSync(join(dir, 'stagebench.config.json'), 'utf8')).scenarios).find((n) => n !== 'api')!;
  // Only the scenario whose context holds results/ (the root's), not services/api's.
  expect(out.replace(/\n {2}/g, ' ')).toContain(`note: results/ is in the context of ${root}: stagebench leaves its own output out, your docker build would send it; add results/ to .dockerignore\n`);
  expect(out.split('\n').filter((l) => [...l].length > 80)).toEqual([]);
  // An ignore file that leaves out something else keeps the note; one that leaves out results/ ends it.
  writeFileSync(join(dir, '.dockerignore'), 'node_modules\n');
  expect(await say()).toContain('note: results/ is in the context');
  writeFileSync(join(dir, '.dockerignore'), 'node_modules\nresults/\n');
  expect(await say()).not.toContain('results/ is in the context');
  // Everything under it left out is as good: the empty folder is all a build would get.
  writeFileSync(join(dir, '.dockerignore'), 'node_modules\nresults/*\n');
  expect(await say()).not.toContain('results/ is in the context');
  // Only some of its files left out is not.
  writeFileSync(join(dir, '.dockerignore'), 'results/*.json\n');
  expect(await say()).toContain('note: results/ is in the context');
});

test("results/ and a Dockerfile's own ignore file: the note names the file that applies, and the line relative to the context", async () => {
  tree({ Dockerfile: 'FROM x\nCOPY . /app/\n', 'app.js': '', 'Dockerfile.dockerignore': 'node_modules\n' });
  let out = '';
  await initCommand({ command: 'init', force: false }, { cwd: dir, stdout: { write: (t: string) => (out += t) } });
  const name = Object.keys(JSON.parse(readFileSync(join(dir, 'stagebench.config.json'), 'utf8')).scenarios)[0];
  // Dockerfile.dockerignore wins over .dockerignore for Dockerfile: adding the line to .dockerignore would change nothing.
  expect(out.replace(/\n {2}/g, ' ')).toContain(`note: results/ is in the context of ${name}: stagebench leaves its own output out, your docker build would send it; add results/ to Dockerfile.dockerignore\n`);
  writeFileSync(join(dir, 'Dockerfile.dockerignore'), 'node_modules\nresults/*\n');
  out = '';
  await initCommand({ command: 'init', force: true }, { cwd: dir, stdout: { write: (t: string) => (out += t) } });
  expect(out).not.toContain('results/ is in the context');
});

test('outputSent: the ignore file each variant reads, and the pattern relative to the context, for a context above the config', () => {
  tree({ 'app/Dockerfile': 'FROM x\n', 'app/Dockerfile.prod': 'FROM x\n', 'app/Dockerfile.prod.dockerignore': 'x\n', 'app/ci/stagebench.config.json': '{}' });
  const configDir = join(dir, 'app/ci');
  const scenario = { context: '..', variants: { default: { dockerfile: '../Dockerfile' }, prod: { dockerfile: '../Dockerfile.prod' } } };
  expect(outputSent(configDir, scenario, join(configDir, 'results'))).toEqual([
    { ignoreFile: join(dir, 'app/.dockerignore'), pattern: 'ci/results/' },
    { ignoreFile: join(dir, 'app/Dockerfile.prod.dockerignore'), pattern: 'ci/results/' },
  ]);
  // Outside the context: nothing to add anywhere.
  expect(outputSent(configDir, scenario, join(dir, 'results'))).toEqual([]);
});

test('what to run next: the comments line up, with or without --config', () => {
  expect(nextSteps([['npx stagebench run', 'build'], ['npx stagebench baseline update', 'keep']])).toBe(
    '  npx stagebench run              # build\n' + '  npx stagebench baseline update  # keep\n',
  );
  expect(nextSteps([['npx stagebench run --config ci/stagebench.json', 'build'], ['npx stagebench baseline update', 'keep']])).toBe(
    '  npx stagebench run --config ci/stagebench.json  # build\n' + '  npx stagebench baseline update                  # keep\n',
  );
});

test('what init prints for a folder holding Dockerfile and Dockerfile.prod: the comparison, the rule, what to run, in 80 columns', async () => {
  tree({ 'shop/Dockerfile': 'FROM x\nCOPY . /app\n', 'shop/Dockerfile.prod': 'FROM x AS build\nCOPY . /src\nFROM x\nCOPY --from=build /src/app /app\n', 'shop/app': '' });
  let out = '';
  await initCommand({ command: 'init', force: false }, { cwd: join(dir, 'shop'), stdout: { write: (t: string) => (out += t) } });
  expect(out).toBe(
    [
      'wrote stagebench.config.json: one scenario; its "$comment" says what was guessed',
      '  shop: prod (Dockerfile.prod) compared with default (Dockerfile, the plain one)',
      'how: a scenario per folder and context, a variant per Dockerfile, named for its',
      '  file (Dockerfile is "default"); "reference" is the one the others are compared',
      '  with: Dockerfile.single where there is one (the lesson\'s layout, where',
      '  Dockerfile is "multi"), else the plain Dockerfile, else the first by id.',
      '  <name>.Dockerfile is an image of its own unless <name> is a flavour such as',
      '  dev or prod (the config\'s "$comment" lists them).',
      'next:',
      '  npx stagebench run              # measure every scenario; git-ignore results/',
      '  npx stagebench baseline update  # a baseline to compare with on this machine',
      'for CI: make the baseline on the CI runner, as',
      '  node_modules/stagebench/docs/ci/github-actions.yml does; CI refuses one from',
      '  another engine release, storage driver or builder (exit 2)',
      // The context . holds where `run` writes (results/), and no .dockerignore leaves it out.
      'note: results/ is in the context of shop: stagebench leaves its own output out,',
      '  your docker build would send it; add results/ to .dockerignore',
      '',
    ].join('\n'),
  );
});

test('what each scenario compares: others against the reference and why it is the reference, lone images on one line', () => {
  const v = (id: string, dockerfile: string) => ({ id, dockerfile });
  expect(
    scenarioLines([
      { name: 'web', variants: [v('dev', 'Dockerfile.dev'), v('prod', 'Dockerfile.prod')], reference: 'the first by id: there is no plain Dockerfile' },
      { name: 'api', variants: [v('default', 'api.Dockerfile'), v('dev', 'api.dev.Dockerfile'), v('slim', 'api-slim.Dockerfile')], reference: 'the plain one' },
      { name: 'worker', variants: [v('default', 'worker.Dockerfile')] },
      { name: 'tool', variants: [v('default', 'tool/Dockerfile')] },
    ]),
  ).toEqual([
    'web: prod (Dockerfile.prod) compared with dev (Dockerfile.dev, the first by id: there is no plain Dockerfile)',
    'api: dev (api.dev.Dockerfile) and slim (api-slim.Dockerfile), each compared with default (api.Dockerfile, the plain one)',
    'one image, compared with nothing: worker (worker.Dockerfile), tool (tool/Dockerfile)',
  ]);
  expect(scenarioLines([{ name: 'tool', variants: [v('default', 'tool/Dockerfile')] }])).toEqual(['one image each: tool (tool/Dockerfile)']);
});

test('bulky folders with variants: noted while any variant has no ignore file that applies', () => {
  tree({ 'node_modules/x': '', Dockerfile: '', 'Dockerfile.prod': '', 'Dockerfile.prod.dockerignore': 'node_modules\n' });
  const scenario = { context: '.', variants: { default: { dockerfile: 'Dockerfile' }, prod: { dockerfile: 'Dockerfile.prod' } } };
  expect(bulkSent(dir, scenario)).toEqual(['node_modules']);
  expect(bulkSent(dir, { ...scenario, variants: { prod: { dockerfile: 'Dockerfile.prod' } } })).toEqual([]);
  writeFileSync(join(dir, 'Dockerfile.dockerignore'), '');
  expect(bulkSent(dir, scenario)).toEqual([]);
});
