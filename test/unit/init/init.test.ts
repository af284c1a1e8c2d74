import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigFileSchema } from '../../../harness/config/schemas.js';
import { ConfigError } from '../../../harness/errors.js';
import { findDockerfiles, isDockerfileName } from '../../../harness/init/find-dockerfiles.js';
import { guessContext } from '../../../harness/init/guess-context.js';
import { initialConfig, scenarioNameFor, writeInitialConfig } from '../../../harness/init/write-config.js';
import { initCommand, nextSteps } from '../../../harness/cli/init-command.js';
import { discoverScenarios } from '../../../harness/scenarios/discover.js';

const REPO = new URL('../../fixtures/repo', import.meta.url).pathname;

let dir: string;
function tree(files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}
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
  expect(await findDockerfiles(REPO)).toEqual(['Dockerfile', 'docker/api.Dockerfile', 'services/api/Dockerfile', 'services/tool/Dockerfile', 'services/worker/Dockerfile']);
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

test('scenario names: the folder, the Dockerfile suffix, a longer path on a clash, always valid', () => {
  const taken = new Set<string>();
  const name = (f: string) => {
    const n = scenarioNameFor(f, 'shop', taken);
    taken.add(n);
    return n;
  };
  expect(['Dockerfile', 'Dockerfile.dev', 'services/api/Dockerfile', 'legacy/api/Dockerfile', 'docker/Web App.Dockerfile', 'Go|Svc/Dockerfile'].map(name)).toEqual([
    'shop',
    'shop-dev',
    'api',
    'legacy-api',
    'docker-web-app',
    'go-svc',
  ]);
});

test('the fixture repository: one scenario per Dockerfile, contexts guessed, $schema and notes, valid for the loader', async () => {
  const config = await initialConfig(REPO, join(REPO, 'stagebench.config.json'));
  expect(config.scenarios).toEqual({
    repo: { context: '.', dockerfile: 'Dockerfile' },
    'docker-api': { context: 'docker', dockerfile: 'docker/api.Dockerfile' },
    api: { context: 'services/api', dockerfile: 'services/api/Dockerfile' },
    tool: { context: 'services/tool', dockerfile: 'services/tool/Dockerfile' },
    worker: { context: '.', dockerfile: 'services/worker/Dockerfile' },
  });
  expect(config.$schema).toBe('./node_modules/stagebench/docs/config.schema.json');
  expect(config.$comment).toEqual(
    expect.arrayContaining([
      'api: context services/api (what it copies is in its own folder); stages build, runtime, debug: the last is built, "target" picks another',
      'worker: context . (it copies shared/greeting.txt, services/worker/payload, found from the repository root)',
    ]),
  );
  const parsed = ConfigFileSchema.parse(JSON.parse(JSON.stringify(config)));
  const scenarios = await discoverScenarios(join(REPO, 'no-scenarios-folder'), [], { file: join(REPO, 'stagebench.config.json'), config: parsed });
  expect(scenarios.map((s) => [s.name, s.variants.map((v) => v.id)])).toEqual([
    ['repo', ['default']],
    ['docker-api', ['default']],
    ['api', ['default']],
    ['tool', ['default']],
    ['worker', ['default']],
  ]);
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
  tree({ Dockerfile: 'FROM x\n', 'services/api/Dockerfile': 'FROM x\n', 'services/worker/Dockerfile': 'FROM x\n', 'services/billing-reconciler/Dockerfile': 'FROM x\n' });
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
  expect(await say()).not.toContain('note:');
});

test('what to run next: the comments line up, with or without --config', () => {
  expect(nextSteps([['npx stagebench run', 'build'], ['npx stagebench baseline update', 'keep']])).toBe(
    '  npx stagebench run              # build\n' + '  npx stagebench baseline update  # keep\n',
  );
  expect(nextSteps([['npx stagebench run --config ci/stagebench.json', 'build'], ['npx stagebench baseline update', 'keep']])).toBe(
    '  npx stagebench run --config ci/stagebench.json  # build\n' + '  npx stagebench baseline update                  # keep\n',
  );
});
