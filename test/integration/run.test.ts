import { jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Results } from '../../harness/results/schema.js';
import { dockerInspect, dockerLines, engineAnswers, engineState, FIXTURES, leftovers, stagebench } from './cli-harness.js';
import { ENGINE_TITLE, EXPECT } from './engine-under-test.js';
import { ensureFixtureBase, FIXTURE_BASE } from './fixture-base.js';

// Real builds: minutes on a cold cache, not the 5 s default.
jest.setTimeout(300_000);

const engine = await engineAnswers();
if (!engine && process.env.CI) throw new Error('CI=true but no Docker engine answers: the integration tests must run in CI (see .ci/run)');
if (!engine) console.warn('No Docker engine answers: the integration tests are SKIPPED. Start dockerd (see the README) to run them.');
const describeEngine = engine ? describe : describe.skip;


describeEngine.each(EXPECT.builders)(`${ENGINE_TITLE} real builds with the %s builder`, (builder) => {
  beforeAll(() => ensureFixtureBase());

  test('sizes and layer counts equal what docker image inspect reports for the same image', async () => {
    const before = await engineState();
    const res = await stagebench(['run', '--scenarios', join(FIXTURES, 'scenarios'), '--builder', builder, '--keep-images', '--no-cache', '--format', 'json']);
    expect(res.stderr).not.toMatch(/cleanup:/);
    expect(res.code).toBe(0);
    const results = JSON.parse(res.stdout) as Results;
    expect(JSON.parse(readFileSync(join(res.out, 'latest.json'), 'utf8'))).toEqual(results);
    expect(readFileSync(join(res.out, 'latest.md'), 'utf8')).toContain('| hello | multi | ok |');
    expect(results.builder).toBe(builder);
    expect(results.builderUsed).toBe(EXPECT.kind === 'podman' ? 'buildah' : builder);
    expect(results.engine).toMatchObject({ kind: EXPECT.kind, imageStore: EXPECT.imageStore, address: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' });
    expect(results.buildCache).toBe('disabled');
    expect(results.run.status).toBe('complete');
    const variants = results.scenarios[0]!.variants;
    expect(variants.map((v) => [v.id, v.status, v.smoke?.status])).toEqual([
      ['single', 'ok', 'ok'],
      ['multi', 'ok', 'ok'],
      ['scratch', 'ok', 'ok'],
    ]);
    expect(variants.map((v) => [v.id, v.contains?.['build output']?.present, v.contains?.shell?.paths, v.contains?.['ignored file']?.present])).toEqual([
      ['single', true, ['/bin/sh', '/bin/busybox'], false],
      ['multi', false, ['/bin/sh', '/bin/busybox'], false],
      ['scratch', false, ['/bin/busybox'], false],
    ]);
    for (const v of variants) {
      // Every builder lists its steps (buildah's STEP lines too), RUN steps built, not cached.
      expect(v.steps!.some((s) => s.name.includes('RUN'))).toBe(true);
      expect(v.steps!.filter((s) => s.name.includes('RUN')).every((s) => !s.cached)).toBe(true);
      const docker = await dockerInspect(v.imageId!);
      expect({ id: v.id, size: v.sizeBytes, layers: v.layerCount, history: v.historyCount, stored: v.storedContentBytes }).toEqual({ id: v.id, stored: undefined, ...docker });
      const base = v.id === 'scratch' ? 0 : (await dockerInspect(FIXTURE_BASE)).size;
      expect([v.id, v.baseBytes, v.addedBytes]).toEqual([v.id, base, v.sizeBytes! - base]);
      if (EXPECT.kind === 'podman') {
        // Not recorded on Podman (its disk usage counts buildah's cache images as sharing every layer).
        expect([v.uniqueBytes, v.sharedBytes]).toEqual([undefined, undefined]);
      } else {
        expect(v.uniqueBytes! + v.sharedBytes!).toBe(v.sizeBytes);
        expect(v.uniqueBytes!).toBeLessThanOrEqual(v.sizeBytes!);
      }
      // Podman's history sizes are not its Size (tar sizes vs. file bytes): there only the count is checked.
      const fromBase = v.layers!.filter((l) => l.fromBase).map((l) => l.sizeBytes);
      if (EXPECT.kind === 'podman') expect(fromBase).toHaveLength(v.id === 'scratch' ? 0 : 1);
      else expect(fromBase).toEqual(v.id === 'scratch' ? [] : [base]);
      expect(v.buildMs).toBeGreaterThan(0);
    }
    // WORKDIR adds a layer on Docker, none on Podman: the single image has one layer less there.
    expect(variants.find((v) => v.id === 'single')!.layerCount).toBe(EXPECT.kind === 'podman' ? 3 : 4);
    // The build stage's 1 MiB file is what multi-stage leaves behind.
    const saved = results.scenarios[0]!.comparisons.find((c) => c.variant === 'multi')!;
    expect(saved.bytesSaved).toBeGreaterThan(1_000_000);
    expect(results.scenarios[0]!.comparisons.find((c) => c.variant === 'scratch')!.switchesBase).toBe(true);

    // This process made the run and is still alive, so the run counts as in flight: name it.
    const clean = await stagebench(['clean', results.run.id]);
    expect(clean.code).toBe(0);
    for (const v of variants) expect(await dockerLines(['images', '-q', '--filter', `reference=${v.imageTag}`])).toEqual([]);
    // --keep-images then clean: the classic builder's unlabelled stage images are gone too.
    expect(await leftovers(before)).toEqual({ containers: [], images: [] });
  });

  test("a cached rebuild keeps its image id: a second run shares the first's kept image, measures it from the cache and leaves it in place", async () => {
    const before = await engineState();
    const args = ['run', '--scenarios', join(FIXTURES, 'scenarios'), '--scenario', 'hello', '--builder', builder, '--no-smoke', '--format', 'json'];
    const first = await stagebench([...args, '--keep-images']);
    const second = await stagebench(args);
    expect([first.code, first.stderr, second.code, second.stderr]).toEqual([0, expect.anything(), 0, expect.not.stringMatching(/cleanup:/)]);
    const [a, b] = [first, second].map((r) => (JSON.parse(r.stdout) as Results).scenarios[0]!.variants);
    const firstRun = (JSON.parse(first.stdout) as Results).run.id;
    for (const [i, v] of b!.entries()) {
      const kept = a![i]!;
      // Kept on the graph-driver stores. The containerd store's classic builder writes a new config (created
      // time) for a fully cached build, and buildah re-commits some steps of a cached multi-stage one.
      if (EXPECT.imageStore === 'graphdriver') {
        expect([v.id, v.imageId, v.compressedBytes]).toEqual([kept.id, kept.imageId, kept.compressedBytes]);
        // Every layer's pull size from the first run's records: the image was not exported again.
        expect([v.id, v.compressedFromCache]).toEqual([v.id, v.rootLayers!.length]);
      }
      // The second run removed its own tag, never the first run's, nor the image that tag holds.
      expect(await dockerLines(['images', '-q', '--filter', `reference=${v.imageTag}`])).toEqual([]);
      expect(await dockerLines(['image', 'inspect', '--format', '{{.Id}}', kept.imageTag!])).toEqual([kept.imageId]);
    }
    expect((await stagebench(['clean', firstRun])).code).toBe(0);
    expect(await leftovers(before)).toEqual({ containers: [], images: [] });
  });

  test("stagebench's own results folder inside a `COPY . .` context is never sent: the image keeps its size and the second run's COPY is cached", async () => {
    const before = await engineState();
    const root = mkdtempSync(join(tmpdir(), 'sb-ctxout-'));
    try {
      const app = join(root, 'app');
      mkdirSync(app);
      // A scenario folder holds both Dockerfiles: each copies the whole context.
      writeFileSync(join(app, 'Dockerfile.single'), `FROM ${FIXTURE_BASE}\nCOPY . /app\n`);
      writeFileSync(join(app, 'Dockerfile'), `FROM ${FIXTURE_BASE} AS build\nFROM ${FIXTURE_BASE}\nCOPY . /app\n`);
      writeFileSync(join(app, 'app.txt'), 'the app\n');
      // The default layout of a repository: results/ next to the Dockerfile, inside the context `.`.
      const out = join(app, 'results');
      const args = ['run', '--scenarios', root, '--builder', builder, '--no-smoke', '--no-compressed', '--no-files', '--format', 'json'];
      const first = await stagebench([...args, '--keep-images'], { out });
      const second = await stagebench(args, { out });
      expect([first.code, first.stderr, second.code, second.stderr]).toEqual([0, expect.anything(), 0, expect.not.stringMatching(/cleanup:/)]);
      const [a, b] = [first, second].map((r) => (JSON.parse(r.stdout) as Results).scenarios[0]!.variants);
      // Without the exclusion the second run's contexts hold the first run's latest.json, latest.md and runs/.
      expect(readFileSync(join(out, 'latest.json'), 'utf8')).toContain(b![0]!.imageId!);
      // The COPY layer holds the same bytes in both runs (the image's Size also counts its config on Podman,
      // whose cached rebuild writes a new one, a byte longer or shorter with its timestamp).
      const copied = (vs: typeof a) => vs!.map((v) => [v.id, v.status, v.layers!.filter((l) => l.createdBy.includes('COPY')).map((l) => l.sizeBytes)]);
      expect(copied(b)).toEqual(copied(a));
      if (EXPECT.kind !== 'podman') expect(b!.map((v) => v.sizeBytes)).toEqual(a!.map((v) => v.sizeBytes));
      // The containerd store's classic builder and Podman's buildah do not reuse the first run's COPY for the
      // first variant of a second run even with the output folder outside the context (measured on Docker
      // 26.1 and Podman 4.3): there the COPY layer's size shows it.
      if (EXPECT.imageStore === 'graphdriver') {
        expect(b!.map((v) => [v.id, v.steps!.filter((s) => s.name.includes("COPY . /app")).map((s) => s.cached)])).toEqual(b!.map((v) => [v.id, [true]]));
      }
      expect((await stagebench(['clean', (JSON.parse(first.stdout) as Results).run.id])).code).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    expect(await leftovers(before)).toEqual({ containers: [], images: [] });
  });

  test('an image a build took from the cache and a later round replaced is removed too, however old its creation time', async () => {
    // After a first run, --mode warm,cold primes from the cache (BuildKit gives that image its first build's
    // creation time), then the cold build moves the run's tag to a new image.
    const args = ['run', '--scenarios', join(FIXTURES, 'scenarios'), '--scenario', 'hello', '--builder', builder, '--no-smoke', '--no-compressed', '--no-files', '--format', 'json'];
    expect((await stagebench(args)).code).toBe(0);
    const before = await engineState();
    const res = await stagebench([...args, '--mode', 'warm,cold']);
    expect([res.code, res.stderr]).toEqual([0, expect.not.stringMatching(/cleanup:/)]);
    expect(await leftovers(before)).toEqual({ containers: [], images: [] });
  });

  test('--runs and --warmup: every build and every start is a sample, warm-ups are kept apart from the statistics', async () => {
    const res = await stagebench(['run', '--scenarios', join(FIXTURES, 'scenarios'), '--scenario', 'hello', '--builder', builder, '--runs', '2', '--warmup', '1', '--format', 'json']);
    expect(res.code).toBe(0);
    const results = JSON.parse(res.stdout) as Results;
    for (const v of results.scenarios[0]!.variants) {
      expect(v.samples!.map((s) => s.warmup)).toEqual([true, false, false]);
      expect(v.samples!.every((s) => s.buildMs > 0)).toBe(true);
      expect(v.samples!.at(-1)!.sizeBytes).toBe(v.sizeBytes);
      // Docker's cached rebuilds are the same image. buildah re-commits some steps of a cached multi-stage
      // build, and the new image's Size can differ by a few bytes (1,998,258 vs 1,998,260 B measured).
      if (EXPECT.kind === 'podman') expect(v.samples!.every((s) => Math.abs(s.sizeBytes - v.sizeBytes!) <= 64)).toBe(true);
      else expect(v.samples!.every((s) => s.sizeBytes === v.sizeBytes)).toBe(true);
      expect(v.buildStats).toMatchObject({ n: 2, min: Math.min(v.samples![1]!.buildMs, v.samples![2]!.buildMs) });
      expect(v.buildMs).toBe(Math.round(v.buildStats!.median));
      // Start-up: one timed start per timed round, from the create to the first 2xx, the last one the smoke result's.
      expect(v.startSamples).toHaveLength(2);
      expect(v.startStats).toMatchObject({ n: 2, min: Math.min(...v.startSamples!) });
      expect([v.startMs, v.smoke?.status, v.smoke?.ms]).toEqual([Math.round(v.startStats!.median), 'ok', v.startSamples![1]]);
    }
    // Interleaved: the progress shows single, multi, scratch in every round.
    const order = [...res.stderr.matchAll(/\] hello › (\w+) \(/g)].map((m) => m[1]);
    expect(order).toEqual(['single', 'multi', 'scratch', 'single', 'multi', 'scratch', 'single', 'multi', 'scratch']);
  });

  test('--mode cold,warm,incremental: each build in its mode, incremental from a changed copy, the scenario folder untouched', async () => {
    const page = join(FIXTURES, 'scenarios', 'hello', 'index.html');
    const before = readFileSync(page, 'utf8');
    const res = await stagebench(['run', '--scenarios', join(FIXTURES, 'scenarios'), '--builder', builder, '--mode', 'cold,warm,incremental', '--no-smoke', '--format', 'json']);
    expect(res.code).toBe(0);
    const results = JSON.parse(res.stdout) as Results;
    expect(results.modes).toEqual(['cold', 'warm', 'incremental']);
    for (const v of results.scenarios[0]!.variants) {
      expect(v.samples!.map((s) => s.mode)).toEqual(['cold', 'warm', 'incremental']);
      expect(Object.keys(v.modeStats!)).toEqual(['cold', 'warm', 'incremental']);
      expect(v.buildMs).toBe(v.samples![0]!.buildMs);
      // The reported image is the last one built from the scenario's own content (warm), not the incremental one.
      expect(v.sizeBytes).toBe(v.samples![1]!.sizeBytes);
    }
    expect(readFileSync(page, 'utf8')).toBe(before);
    const unchanged = await stagebench(['run', '--scenarios', join(FIXTURES, 'failing'), '--mode', 'incremental']);
    expect(unchanged.code).toBe(2);
    expect(unchanged.stderr).toContain('--mode incremental needs "incremental" in scenario.json, and broken, fine have none');
  });

  test('failing variants are reported with step, exit code and log; others still build; nothing is left behind', async () => {
    const before = await engineState();
    const res = await stagebench(['run', '--scenarios', join(FIXTURES, 'failing'), '--builder', builder, '--format', 'json']);
    expect(res.code).toBe(3);
    const results = JSON.parse(res.stdout) as Results;
    const byId = (scenario: string, id: string) => results.scenarios.find((s) => s.name === scenario)!.variants.find((v) => v.id === id)!;
    expect(byId('fine', 'single').status).toBe('ok');
    expect(byId('fine', 'multi').status).toBe('ok');
    expect(byId('broken', 'single').status).toBe('ok');

    const run = byId('broken', 'multi');
    expect(run.status).toBe('failed');
    expect(run.error?.exitCode).toBe(3);
    expect(run.error?.step).toContain('ls /nonexistent; exit 3');
    expect(run.error?.logTail).toEqual(expect.arrayContaining(['about to fail', 'line1', 'line2']));

    // Docker: "unknown instruction: RUNN"; buildah: 'Unknown instruction: "RUNN"'.
    expect(byId('broken', 'badinstr').error?.message).toMatch(/unknown instruction: "?RUNN/i);
    expect(byId('broken', 'missingcopy').error?.message).toMatch(/missing\.txt/);
    expect(byId('broken', 'nobase').error?.message).toContain('base image "stagebench-fixture/nosuchbase:1" is not on the engine and could not be pulled');
    expect(res.stderr).toContain('broken › multi: FAILED');

    expect(await leftovers(before)).toEqual({ containers: [], images: [] });
  });

  test('Ctrl-C cancels the running build, keeps the results so far and leaves nothing running', async () => {
    const before = await engineState();
    let interrupted = false;
    const started = Date.now();
    const res = await stagebench(['run', '--scenarios', join(FIXTURES, 'slow'), '--builder', builder], {
      onStderr: (text, interrupt) => {
        if (!interrupted && /sleep 30/.test(text)) {
          interrupted = true;
          setTimeout(interrupt, 1000);
        }
      },
    });
    expect(interrupted).toBe(true);
    expect(res.code).toBe(130);
    expect(Date.now() - started).toBeLessThan(20_000);
    const results = JSON.parse(readFileSync(join(res.out, 'latest.json'), 'utf8')) as Results;
    expect(results.run.status).toBe('interrupted');
    expect(results.scenarios[0]!.variants).toHaveLength(1);
    // A cancelled build is not a failed one: not measured, its row says so.
    expect(results.scenarios[0]!.variants[0]).toMatchObject({ id: 'single', status: 'failed', notMeasured: 'interrupted' });
    expect(results.scenarios[0]!.variants[0]!.error?.message).toBe('not measured: the run was interrupted and its build cancelled');
    expect(await leftovers(before)).toEqual({ containers: [], images: [] });
  });
});

describe('an unreachable engine', () => {
  test('one clear message naming DOCKER_HOST, exit 3, JSON error, no stack trace', async () => {
    // From a folder without this repository's config, whose gate keys name the lesson scenarios (a warning).
    const cwd = mkdtempSync(join(tmpdir(), 'sb-cwd-'));
    const res = await stagebench(['run', '--scenarios', join(FIXTURES, 'scenarios'), '--format', 'json'], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, cwd });
    rmSync(cwd, { recursive: true, force: true });
    expect(res.code).toBe(3);
    expect(res.stderr).toBe(
      'stagebench: cannot reach the Docker engine at unix:///nonexistent/docker.sock (ENOENT)\n' +
        '  fix: DOCKER_HOST names /nonexistent/docker.sock, which does not exist: start the engine there, correct DOCKER_HOST, or unset it to use the current docker context or the local socket\n',
    );
    expect(JSON.parse(res.stdout)).toEqual({
      error: {
        message: 'cannot reach the Docker engine at unix:///nonexistent/docker.sock (ENOENT)',
        hint: 'DOCKER_HOST names /nonexistent/docker.sock, which does not exist: start the engine there, correct DOCKER_HOST, or unset it to use the current docker context or the local socket',
        exitCode: 3,
      },
    });
  });
});
