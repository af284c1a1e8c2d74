import { jest } from '@jest/globals';
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Results } from '../../harness/results/schema.js';
import type { GateReport } from '../../harness/compare/compare.js';
import { dockerInspect, dockerLines, engineAnswers, FIXTURES } from './cli-harness.js';
import { ensureFixtureBase } from './fixture-base.js';

// npm pack, one npm install from the registry, and a handful of tiny builds.
jest.setTimeout(900_000);

const engine = await engineAnswers();
if (!engine && process.env.CI) throw new Error('CI=true but no Docker engine answers: the integration tests must run in CI (see .ci/run)');
const describeEngine = engine ? describe : describe.skip;

const PROJECT = new URL('../../', import.meta.url).pathname;
const TSC = join(PROJECT, 'node_modules/typescript/bin/tsc');

let work: string;
let shop: string;
let tarball: string;

/** `npx stagebench …` in the fixture copy, as a user runs it: the installed package, a child process. */
const npx = (args: string[]) => execa('npx', ['--no-install', 'stagebench', ...args], { cwd: shop, reject: false, env: { NO_COLOR: '1' } });

/** Removes what a --keep-images run kept: only that run's tags (an image goes with its last tag). */
async function removeRun(runId: string): Promise<void> {
  const tags = await dockerLines(['images', '--filter', `reference=stagebench/*:*-${runId}`, '--format', '{{.Repository}}:{{.Tag}}']);
  if (tags.length > 0) await execa('docker', ['image', 'rm', ...new Set(tags)]);
}

async function expectInspectEqual(results: Results): Promise<void> {
  for (const s of results.scenarios) {
    for (const v of s.variants) {
      expect([s.name, v.id, v.status]).toEqual([s.name, v.id, 'ok']);
      const docker = await dockerInspect(v.imageId!);
      expect({ scenario: s.name, id: v.id, size: v.sizeBytes, layers: v.layerCount }).toEqual({ scenario: s.name, id: v.id, size: docker.size, layers: docker.layers });
    }
  }
}

describeEngine('the packed package in a repository of its own', () => {
  beforeAll(async () => {
    await ensureFixtureBase();
    work = mkdtempSync(join(tmpdir(), 'sb-package-'));
    // The tarball as it would be published (prepack builds it from a clean dist).
    const pack = await execa('npm', ['pack', '--pack-destination', work, '--json'], { cwd: PROJECT });
    tarball = join(work, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
    shop = join(work, 'shop');
    cpSync(join(FIXTURES, 'repo'), shop, { recursive: true });
    writeFileSync(join(shop, 'package.json'), `${JSON.stringify({ name: 'shop', private: true, type: 'module' }, null, 2)}\n`);
    // The one npm install of the run: the tarball, its dependencies from the registry.
    await execa('npm', ['install', '--no-audit', '--no-fund', '--save-dev', tarball], { cwd: shop });
  });
  afterAll(() => work && rmSync(work, { recursive: true, force: true }));

  test('the tarball holds what runs and nothing else', async () => {
    const files = (await execa('tar', ['tzf', tarball])).stdout.split('\n').map((f) => f.replace(/^package\//, ''));
    expect(files).toEqual(expect.arrayContaining(['bin/stagebench.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'docs/config.schema.json', 'docs/results.schema.json', 'docs/ci/github-actions.yml', 'docs/claims.md', 'package.json', 'README.md']));
    expect(files.filter((f) => /^(test|harness|results|scenarios|offline|scripts)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(shop, 'node_modules/stagebench/package.json'), 'utf8')) as { private?: boolean };
    expect(manifest.private).toBeUndefined();
  });

  test('init writes a config that builds every Dockerfile without edits; sizes and layers are what docker image inspect says', async () => {
    const init = await npx(['init']);
    expect(init.exitCode).toBe(0);
    expect(init.stdout).toContain('npx stagebench run');
    expect(init.stdout).toContain('npx stagebench baseline update');
    const config = JSON.parse(readFileSync(join(shop, 'stagebench.config.json'), 'utf8')) as { $schema: string; scenarios: Record<string, unknown> };
    // build/ is .gitignore'd and node_modules (with the installed package) is never searched.
    expect(Object.keys(config.scenarios)).toEqual(['shop', 'docker-api', 'api', 'tool', 'worker']);
    expect(readFileSync(join(shop, config.$schema), 'utf8')).toContain('"scenarios"');
    // Never overwritten without --force.
    const again = await npx(['init']);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('--force');

    const run = await npx(['run', '--keep-images', '--format', 'json']);
    const results = JSON.parse(run.stdout) as Results;
    try {
      expect(run.exitCode).toBe(0);
      expect(results.scenarios.map((s) => [s.name, s.variants.map((v) => v.id)])).toEqual([
        ['shop', ['default']],
        ['docker-api', ['default']],
        ['api', ['default']],
        ['tool', ['default']],
        ['worker', ['default', 'slim']],
      ]);
      await expectInspectEqual(results);
      // The two Dockerfiles of services/worker are compared: slim against the plain Dockerfile, init's "default" and "reference".
      const worker = results.scenarios.find((s) => s.name === 'worker')!;
      const [plain, slim] = worker.variants;
      expect(worker.reference).toBe('default');
      expect(worker.comparisons.map((c) => [c.variant, c.against, c.bytesSaved])).toEqual([['slim', 'default', plain!.sizeBytes! - slim!.sizeBytes!]]);
    } finally {
      await removeRun(results.run.id);
    }
  });

  test('declared variants, a Dockerfile outside its context, ignore rules, a matrix; a single-image scenario passes the gate, then fails it once it grows', async () => {
    writeFileSync(
      join(shop, 'stagebench.config.json'),
      JSON.stringify({
        $schema: './node_modules/stagebench/docs/config.schema.json',
        scenarios: {
          api: {
            context: 'services/api',
            dockerfile: 'services/api/Dockerfile',
            variants: { runtime: { target: 'runtime' }, debug: { target: 'debug' }, outside: { dockerfile: 'docker/api.Dockerfile' } },
            contains: { app: ['/app/app.txt'], secret: ['/app/secret.txt'], readme: ['/app/README.md'] },
          },
          tool: { context: 'services/tool', matrix: { KB: ['16', '256'], target: ['runtime', 'debug'] } },
          worker: { context: '.', dockerfile: 'services/worker/Dockerfile' },
        },
        gate: { scenarios: { worker: { maxSize: '2.5 MB' } } },
      }),
    );
    const run = await npx(['run', '--keep-images', '--format', 'json']);
    const results = JSON.parse(run.stdout) as Results;
    try {
      expect(run.exitCode).toBe(0);
      await expectInspectEqual(results);
    } finally {
      await removeRun(results.run.id);
    }
    const scenario = (name: string) => results.scenarios.find((s) => s.name === name)!;
    const variant = (name: string, id: string) => scenario(name).variants.find((v) => v.id === id)!;

    // The matrix: one variant per combination, ids from the values; KB sizes the payload byte for byte.
    expect(scenario('tool').variants.map((v) => [v.id, v.target, v.buildArgs])).toEqual([
      ['16_runtime', 'runtime', { KB: '16' }],
      ['16_debug', 'debug', { KB: '16' }],
      ['256_runtime', 'runtime', { KB: '256' }],
      ['256_debug', 'debug', { KB: '256' }],
    ]);
    expect(variant('tool', '256_runtime').sizeBytes! - variant('tool', '16_runtime').sizeBytes!).toBe((256 - 16) * 1024);

    // Ignore rules as the docker CLI and buildx apply them: .dockerignore keeps secret.txt out; the
    // Dockerfile outside the context brings its own api.Dockerfile.dockerignore, which also drops *.md.
    const present = (id: string) => Object.fromEntries(Object.entries(variant('api', id).contains!).map(([k, c]) => [k, c.present]));
    expect(present('runtime')).toEqual({ app: true, secret: false, readme: true });
    expect(present('outside')).toEqual({ app: true, secret: false, readme: false });
    expect(variant('api', 'outside').dockerfile).toBe('docker/api.Dockerfile');
    // The debug stage adds the 256 KiB tools file to the runtime stage.
    expect(variant('api', 'debug').sizeBytes! - variant('api', 'runtime').sizeBytes!).toBe(256 * 1024);
    // No variant "single" and no "reference": the first declared, runtime, is the one the others are compared with.
    expect(scenario('api').reference).toBe('runtime');
    expect(scenario('api').comparisons.find((c) => c.variant === 'debug')).toMatchObject({ against: 'runtime', bytesSaved: -256 * 1024 });

    // A single-image scenario: one variant, its own reference, nothing to compare with it.
    expect(scenario('worker').variants.map((v) => v.id)).toEqual(['default']);
    expect(scenario('worker').comparisons).toEqual([]);

    const baseline = await npx(['baseline', 'update']);
    expect(baseline.exitCode).toBe(0);
    // The gate compares each variant with itself in the baseline, whatever the scenario's reference (api's is runtime).
    const pass = await npx(['run', '--scenario', 'worker', '--scenario', 'api', '--baseline', 'stagebench.baseline.json', '--format', 'json']);
    expect(pass.exitCode).toBe(0);
    const passed = JSON.parse(pass.stdout) as { comparison: GateReport };
    expect(passed.comparison.verdict).toBe('pass');
    expect(passed.comparison.rows.filter((r) => r.scenario === 'api' && r.metric === 'size').map((r) => [r.variant, r.status])).toEqual([
      ['runtime', 'pass'],
      ['debug', 'pass'],
      ['outside', 'pass'],
    ]);

    // 3 MB more: past the scenario's 2.5 MB cap and the default growth rule (+2 % and +1 MB).
    writeFileSync(join(shop, 'services/worker/payload/big.bin'), Buffer.alloc(3_000_000, 1));
    const fail = await npx(['run', '--scenario', 'worker', '--baseline', 'stagebench.baseline.json', '--format', 'json']);
    expect(fail.exitCode).toBe(1);
    const failed = JSON.parse(fail.stdout) as { comparison: GateReport };
    expect(failed.comparison.verdict).toBe('fail');
    const size = failed.comparison.rows.find((r) => r.scenario === 'worker' && r.variant === 'default' && r.metric === 'size')!;
    expect(size).toMatchObject({ level: 'fail', cap: 2_500_000 });
    expect(size.delta).toBeGreaterThanOrEqual(3_000_000);
  });

  test("a TypeScript project type-checks `import … from 'stagebench'`, and a wrong config key is caught", async () => {
    const tsconfig = {
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(PROJECT, 'node_modules/@types')] },
      files: ['consumer.ts'],
    };
    writeFileSync(join(shop, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(
      join(shop, 'consumer.ts'),
      [
        "import { ConfigFileSchema, DockerEngine, discoverScenarios, nameProblem, runCli, type ConfigFileInput, type Results, type Scenario } from 'stagebench';",
        "const config: ConfigFileInput = { scenarios: { api: { context: 'services/api', matrix: { BASE: ['node:20', 'node:20-slim'] } } } };",
        'const parsed = ConfigFileSchema.parse(config);',
        "const scenarios: Scenario[] = await discoverScenarios('scenarios', [], { file: 'stagebench.config.json', config: parsed });",
        "const problem: string | undefined = nameProblem('go app');",
        'const sizes = (r: Results) => r.scenarios.flatMap((s) => s.variants.map((v) => v.sizeBytes ?? 0));',
        'export { DockerEngine, problem, runCli, scenarios, sizes };',
        '',
      ].join('\n'),
    );
    const ok = await execa('node', [TSC, '-p', 'tsconfig.json'], { cwd: shop, reject: false });
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.exitCode).toBe(0);
    writeFileSync(join(shop, 'consumer.ts'), "import type { ConfigFileInput } from 'stagebench';\nexport const c: ConfigFileInput = { scenarios: { api: { contxt: '.' } } };\n");
    const bad = await execa('node', [TSC, '-p', 'tsconfig.json'], { cwd: shop, reject: false });
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stdout).toMatch(/consumer\.ts.*error TS(2353|2561).*'contxt'/);
  });
});
