import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../harness/cli/main.js';
import { ConfigError } from '../../../harness/errors.js';
import type { Results } from '../../../harness/results/schema.js';
import { FAKE_BLOB, fakeEngine, type FakeEngineOptions, fakeRegistry } from './fake-engine.js';

// `stagebench run --deploy` through the whole CLI on a fake engine and an in-memory registry: what is pushed,
// pulled, recorded and left behind. The integration suite does the same on a real daemon and docker-registry.

beforeAll(async () => {
  await import('../../../harness/cli/run-command.js');
  await import('../../../harness/cli/output.js');
}, 60_000);

/** The fixture scenarios, with a command smoke check the fake engine can pass (or, smoke false, none). */
function scenarios(smoke = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-deploy-cli-'));
  cpSync(new URL('../../fixtures/scenarios', import.meta.url).pathname, join(dir, 'scenarios'), { recursive: true });
  const file = join(dir, 'scenarios', 'hello', 'scenario.json');
  const { smoke: _smoke, ...json } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify(smoke ? { ...json, smoke: { command: ['/bin/true'], timeoutMs: 1000 } } : json));
  return dir;
}

async function stagebench(argv: string[], engineOpts: FakeEngineOptions = {}, startRegistry?: () => Promise<never>, smoke = true) {
  const dir = scenarios(smoke);
  const registry = fakeRegistry();
  const engine = fakeEngine({ smokeExit: 0, registry, ...engineOpts });
  let stderr = '';
  const code = await run({
    argv: ['run', '--scenarios', 'scenarios', '--out', 'out', ...argv],
    env: {},
    cwd: dir,
    stdout: { write: () => true },
    stderr: { write: (t: string) => (stderr += t) },
    onInterrupt: () => () => undefined,
    engine,
    startRegistry: startRegistry ?? (async () => registry),
  });
  const results = () => JSON.parse(readFileSync(join(dir, 'out', 'latest.json'), 'utf8')) as Results;
  return { code, stderr, engine, registry, results };
}

const deployOf = (r: Results, id: string) => r.scenarios[0]!.variants.find((v) => v.id === id)!.deploy;

test('--deploy --bandwidth: exact bytes with and without the base, what was fetched, timed rounds, the download time at the rate', async () => {
  const res = await stagebench(['--deploy', '--bandwidth', '8kbit', '--runs', '2', '--warmup', '1']);
  expect(res.code).toBe(0);
  const results = res.results();
  expect(results.deploy).toEqual({ registry: 'docker-registry 2.8.2+ds1', bandwidth: '8kbit', bitsPerSecond: 8000 });
  expect(Object.keys(results.methods)).toEqual(expect.arrayContaining(['deploy', 'deploy.pullMs', 'deploy.bytes', 'deploy.downloadMs']));
  // single: FROM the busybox fixture, whose one layer a host has; its own layer and the config are downloaded.
  const single = deployOf(results, 'single')!;
  const withBase = FAKE_BLOB.config + FAKE_BLOB.own;
  const withoutBase = withBase + FAKE_BLOB.base;
  expect(single).toMatchObject({ configBytes: FAKE_BLOB.config, withBaseBytes: withBase, withoutBaseBytes: withoutBase, fetchedBytes: withBase, downloadMs: { withBase: withBase, withoutBase: withoutBase } });
  expect(single.layers.map((l) => [l.inBase, l.fetched])).toEqual([
    [true, false],
    [false, true],
  ]);
  // Two timed rounds after one warm-up: three pulls of single, two samples each.
  expect(single.pullSamples).toHaveLength(2);
  expect(single.deploySamples).toEqual(single.pullSamples!.map((p, i) => p + single.startSamples![i]!));
  // scratch has no base, so every layer is its own: each round's copy has new digests for all, and all are fetched.
  const scratch = deployOf(results, 'scratch')!;
  expect(scratch).toMatchObject({ withBaseBytes: withoutBase, fetchedBytes: withoutBase });
  expect(scratch.layers.map((l) => [l.inBase, l.fetched])).toEqual([
    [false, true],
    [false, true],
  ]);
  // No deploy warning but, maybe, the spread one: the fake's pulls take 0-2 ms, so two rounds can differ by 100 %.
  expect(results.scenarios[0]!.variants.flatMap((v) => v.warnings ?? []).filter((w) => w.startsWith('deploy') && !w.startsWith('deploy time: spread'))).toEqual([]);
  // Afterwards: the registry stopped, no pushed reference left, every variant's run tag on its own image again.
  expect(res.registry.stopped).toBe(true);
  expect([...res.engine.refs.keys()].filter((r) => r.includes('127.0.0.1:5999'))).toEqual([]);
  for (const v of results.scenarios[0]!.variants) expect(res.engine.refs.get(v.imageTag!)).toBe(v.imageId);
  // A check pull of each pushed image while it is still there, then one pull per round of each variant, each of
  // its own copy (tag <variant>-<run>-d<round>), variants interleaved round by round as builds are; last, the
  // pushed image pulled back, so the run's tag is on the image as built.
  const pulls = res.registry.accessLog().filter((l) => l.method === 'GET' && l.path.includes('/manifests/'));
  const variants = ['single', 'multi', 'scratch'];
  expect(pulls.map((l) => l.path.replace(/-[0-9a-f]{12}-\d+/, ''))).toEqual([
    ...variants.map((v) => `/v2/stagebench-deploy/hello/manifests/${v}`),
    ...[0, 1, 2].flatMap((r) => variants.map((v) => `/v2/stagebench-deploy/hello/manifests/${v}-d${r}`)),
    ...variants.map((v) => `/v2/stagebench-deploy/hello/manifests/${v}`),
  ]);
});

test('an engine that recognises a layer by its content even under a new digest: not fetched, a warning says the time is a host holding it', async () => {
  const res = await stagebench(['--deploy'], { heldLayers: ['sha256:app-of-Dockerfile.single'] });
  expect(res.code).toBe(0);
  const variants = res.results().scenarios[0]!.variants;
  const single = variants.find((v) => v.id === 'single')!;
  expect(single.deploy).toMatchObject({ withBaseBytes: FAKE_BLOB.config + FAKE_BLOB.own, fetchedBytes: FAKE_BLOB.config });
  expect(single.warnings).toEqual(expect.arrayContaining([expect.stringContaining('the engine did not fetch 1 of the image\'s layers that its base has not')]));
  expect(variants.find((v) => v.id === 'multi')!.deploy!.fetchedBytes).toBe(FAKE_BLOB.config + FAKE_BLOB.own);
});

test('a refused push leaves that variant\'s deploy figures out with a warning; the run still exits 0 and leaves no pushed reference', async () => {
  const res = await stagebench(['--deploy'], { pushFails: true });
  expect(res.code).toBe(0);
  const variants = res.results().scenarios[0]!.variants;
  expect(variants.map((v) => v.deploy)).toEqual([undefined, undefined, undefined]);
  expect(variants[0]!.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^deploy not measured: .*507 Insufficient Storage/)]));
  expect([...res.engine.refs.keys()].filter((r) => r.includes('127.0.0.1:5999'))).toEqual([]);
  expect(res.registry.stopped).toBe(true);
});

test('an image an earlier --keep-images run still tags (a cached rebuild keeps its image id): the warning names that tag and `stagebench clean <its run>`', async () => {
  const kept = 'stagebench/hello:single-0123456789ab';
  // The earlier run's tag, on the image single builds now.
  const res = await stagebench(['--deploy'], { alsoTagged: { [kept]: 'Dockerfile.single' } });
  expect(res.code).toBe(0);
  const variants = res.results().scenarios[0]!.variants;
  const single = variants.find((v) => v.id === 'single')!;
  expect(single.deploy).toBeUndefined();
  expect(single.warnings).toEqual(expect.arrayContaining([`deploy not measured: the image is still on the engine after removing this run's references to it: another tag holds it: ${kept}, kept by run 0123456789ab (\`stagebench clean 0123456789ab\` removes it)`]));
  // The other variants are measured; the kept tag and single's run tag are both on the image still.
  expect(variants.filter((v) => v.id !== 'single').map((v) => v.deploy === undefined)).toEqual([false, false]);
  expect(res.engine.refs.get(kept)).toBe(single.imageId);
  expect(res.engine.refs.get(single.imageTag!)).toBe(single.imageId);
});

test.each([
  ['its smoke check failed', { smokeExit: 1 }, true, 'deploy not measured: its smoke check failed, and deploy times the start to the first passing one'],
  ['its scenario has no smoke check', {}, false, 'deploy not measured: its scenario has no smoke check (deploy times the start to the first passing one): add `smoke` to its scenario.json'],
])('a variant not deployed because %s: a warning says so, and nothing is pushed', async (_why, engineOpts, smoke, warning) => {
  const res = await stagebench(['--deploy'], engineOpts, undefined, smoke);
  const variants = res.results().scenarios[0]!.variants;
  expect(variants.map((v) => v.deploy)).toEqual([undefined, undefined, undefined]);
  for (const v of variants) expect(v.warnings).toEqual(expect.arrayContaining([warning]));
  expect(res.registry.accessLog()).toEqual([]);
});

test('a registry that cannot start: exit 2 with the fix, nothing built', async () => {
  const res = await stagebench(['--deploy'], {}, async () => {
    throw new ConfigError('--deploy needs a loopback registry, and docker-registry is not installed (not on PATH)', 'install it with `sudo npm run setup`');
  });
  expect(res.code).toBe(2);
  expect(res.stderr).toContain('docker-registry is not installed');
  expect(res.stderr).toContain('sudo npm run setup');
  expect(res.engine.builds).toEqual([]);
});

test('an engine that cannot pull from the registry (Podman asking plain HTTP for TLS): a warning, and the image never removed', async () => {
  const res = await stagebench(['--deploy'], { loopbackPullFails: true });
  expect(res.code).toBe(0);
  const variants = res.results().scenarios[0]!.variants;
  expect(variants.map((v) => v.deploy)).toEqual([undefined, undefined, undefined]);
  expect(variants[0]!.warnings).toEqual(expect.arrayContaining([expect.stringContaining('deploy not measured: the pull of 127.0.0.1:5999/stagebench-deploy/hello:single-')]));
  expect(variants.flatMap((v) => v.warnings ?? [])).not.toEqual(expect.arrayContaining([expect.stringContaining('no longer on the engine')]));
  for (const v of variants) expect(res.engine.refs.get(v.imageTag!)).toBe(v.imageId);
  expect([...res.engine.refs.keys()].filter((r) => r.includes('127.0.0.1:5999'))).toEqual([]);
});

test.each([
  [['--bandwidth', '100Mbit'], '--bandwidth gives the download time of the deploy bytes, and there are none without --deploy'],
  [['--deploy', '--no-smoke'], '--deploy times the start to the first passing smoke check'],
  [['--deploy', '--bandwidth', '100MB'], '--bandwidth 100MB is not a rate'],
])('usage: %j exits 2', async (argv, message) => {
  const res = await stagebench(argv);
  expect(res.code).toBe(2);
  expect(res.stderr).toContain(message);
});

test('interrupted during the deploy rounds: the run says so, the rounds already timed are kept, every variant keeps its run tag, no pushed reference is left', async () => {
  let interrupt = () => {};
  let pulls = 0;
  const dir = scenarios();
  const registry = fakeRegistry();
  const engine = fakeEngine({ smokeExit: 0, registry });
  const pull = engine.pullFromLoopback;
  engine.pullFromLoopback = async (repository, tag) => {
    await pull(repository, tag);
    if (++pulls === 5) interrupt(); // 3 check pulls, then single's and multi's first rounds
  };
  const code = await run({
    argv: ['run', '--scenarios', 'scenarios', '--out', 'out', '--deploy', '--runs', '2'],
    env: {},
    cwd: dir,
    stdout: { write: () => true },
    stderr: { write: () => true },
    onInterrupt: (handler) => {
      interrupt = handler;
      return () => (interrupt = () => {});
    },
    engine,
    startRegistry: async () => registry,
  });
  expect(code).toBe(130);
  const results = JSON.parse(readFileSync(join(dir, 'out', 'latest.json'), 'utf8')) as Results;
  expect(results.run.status).toBe('interrupted');
  // Interrupted right after multi's first pull: single's first round is in (n=1, as build times keep theirs), multi's start never ran.
  const [single, multi, scratch] = results.scenarios[0]!.variants.map((v) => v.deploy);
  expect(single).toMatchObject({ fetchedBytes: FAKE_BLOB.config + FAKE_BLOB.own });
  expect(single!.deployStats).toBeUndefined();
  expect([multi, scratch]).toEqual([undefined, undefined]);
  expect([...engine.refs.keys()].filter((r) => r.includes('127.0.0.1:5999'))).toEqual([]);
  for (const v of results.scenarios[0]!.variants) expect(engine.refs.get(v.imageTag!)).toBe(v.imageId);
  expect(registry.stopped).toBe(true);
});

test('interrupted in round 2 of 3, its pull cut short: every variant keeps the rounds it had timed', async () => {
  let interrupt = () => {};
  let pulls = 0;
  const dir = scenarios();
  const registry = fakeRegistry();
  const engine = fakeEngine({ smokeExit: 0, registry });
  const pull = engine.pullFromLoopback;
  engine.pullFromLoopback = async (repository, tag) => {
    await pull(repository, tag);
    // 3 check pulls, 3 first rounds, then single's second round; multi's second pull is cut short by Ctrl-C.
    if (++pulls === 8) {
      interrupt();
      throw new Error('the pull was aborted');
    }
  };
  const code = await run({
    argv: ['run', '--scenarios', 'scenarios', '--out', 'out', '--deploy', '--runs', '3'],
    env: {},
    cwd: dir,
    stdout: { write: () => true },
    stderr: { write: () => true },
    onInterrupt: (handler) => {
      interrupt = handler;
      return () => (interrupt = () => {});
    },
    engine,
    startRegistry: async () => registry,
  });
  expect(code).toBe(130);
  const results = JSON.parse(readFileSync(join(dir, 'out', 'latest.json'), 'utf8')) as Results;
  expect(results.run.status).toBe('interrupted');
  const [single, multi, scratch] = results.scenarios[0]!.variants.map((v) => v.deploy);
  expect(single!.pullSamples).toHaveLength(2);
  // multi was interrupted in its second round: its first, timed before, stands (n=1).
  expect(multi).toMatchObject({ fetchedBytes: FAKE_BLOB.config + FAKE_BLOB.own });
  expect(multi!.pullSamples).toBeUndefined();
  expect(scratch).toMatchObject({ fetchedBytes: FAKE_BLOB.config + FAKE_BLOB.own + FAKE_BLOB.base });
  expect(results.scenarios[0]!.variants.flatMap((v) => v.warnings ?? []).filter((w) => w.startsWith('deploy not measured'))).toEqual([]);
  for (const v of results.scenarios[0]!.variants) expect(engine.refs.get(v.imageTag!)).toBe(v.imageId);
  expect([...engine.refs.keys()].filter((r) => r.includes('127.0.0.1:5999'))).toEqual([]);
});
