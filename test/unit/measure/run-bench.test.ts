import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildOutcome, BuildRequest, Engine } from '../../../harness/engine/engine.js';
import { EngineError, EngineUnreachableError } from '../../../harness/errors.js';
import type { BenchOptions } from '../../../harness/measure/options.js';
import { runBench } from '../../../harness/measure/run-bench.js';
import { writeResults } from '../../../harness/output/publish.js';
import type { EngineFacts, Results } from '../../../harness/results/schema.js';
import { discoverScenarios } from '../../../harness/scenarios/discover.js';
import { fakeDiffIds, fakeExport, fakePullBytes } from '../engine/export-fixtures.js';

const facts: EngineFacts = { kind: 'docker', serverVersion: 'x', apiVersion: '1.41', storageDriver: 'overlay2', imageStore: 'graphdriver', os: 'linux', arch: 'amd64', ncpu: 2, kernelVersion: 'k' };

/** An engine whose builds succeed; `inspect` and `build` misbehave for the variants named. */
function fakeEngine(fail: { inspect?: string; unreachableAt?: string; export?: string; onSmoke?: () => void; onBuild?: (req: BuildRequest, n: number) => BuildOutcome | void }): Engine & { cleanups: number; cleanupArgs: unknown[][] } {
  let builds = 0;
  const engine = {
    cleanups: 0,
    cleanupArgs: [] as unknown[][],
    facts: async () => facts,
    hasImage: async () => true,
    pull: async () => undefined,
    build: async (req: BuildRequest): Promise<BuildOutcome> => {
      if (req.dockerfile === fail.unreachableAt) throw new EngineUnreachableError('cannot reach the Docker engine at unix:///x (ECONNREFUSED)');
      // Every build makes a new image, as a --no-cache rebuild does.
      const imageId = `sha256:${req.dockerfile}-${++builds}`;
      const instead = fail.onBuild?.(req, builds);
      if (instead) return instead;
      return { imageId, auxIds: [imageId], intermediateIds: [], containerIds: [], steps: [], warnings: [], buildMs: 5 };
    },
    inspect: async (id: string) => {
      if (id.startsWith(`sha256:${fail.inspect}-`)) throw new EngineError(`inspecting image ${id} failed: boom`);
      return { id, sizeBytes: id.length * 1000, layerCount: 1, diffIds: fakeDiffIds(id), historyCount: 2, history: [] };
    },
    startContainer: async () => {
      fail.onSmoke?.();
      return { exited: new Promise<number>(() => undefined), logTail: async () => [], remove: async () => undefined };
    },
    listLabelled: async () => [],
    tag: async () => undefined,
    pushToLoopback: async () => undefined,
    pullFromLoopback: async () => undefined,
    removeReference: async () => undefined,
    pathsPresent: async () => new Set<string>(),
    diskUsage: async () => new Map(),
    exportImage: (id: string) => fakeExport(id, id.startsWith(`sha256:${fail.export}-`)),
    imageIds: async () => ['cached'],
    cleanup: async (...args: unknown[]) => {
      engine.cleanupArgs.push(args);
      engine.cleanups++;
      return [];
    },
  };
  return engine;
}

const progress = { variant: () => undefined, measuring: () => undefined, step: () => undefined, line: () => undefined };

async function bench(engine: Engine, more: Partial<BenchOptions> = {}) {
  const outDir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
  const scenarios = await discoverScenarios(new URL('../../fixtures/scenarios', import.meta.url).pathname);
  const opts = { scenarios, builder: 'buildkit' as const, save: async (r: Results) => void (await writeResults(outDir, r)), keepImages: false, smoke: false, noCache: false, runs: 1, warmup: 0, modes: [], compressed: false, layerCache: false, deploy: false, jobs: 1, files: false, git: null, toolVersion: 't', signal: new AbortController().signal, progress, ...more };
  const run = runBench(engine, facts, opts);
  return { run, latest: () => JSON.parse(readFileSync(join(outDir, 'latest.json'), 'utf8')) as Results };
}

test('an engine error in one variant fails that variant only; the run goes on', async () => {
  const engine = fakeEngine({ inspect: 'Dockerfile' });
  const { run } = await bench(engine);
  const results = await run;
  expect(results.run.status).toBe('complete');
  expect(results.scenarios[0]!.variants.map((v) => [v.id, v.status, v.error?.message])).toEqual([
    ['single', 'ok', undefined],
    ['multi', 'failed', 'inspecting image sha256:Dockerfile-2 failed: boom'],
    ['scratch', 'ok', undefined],
  ]);
  expect(engine.cleanups).toBe(1);
});

test('a pull size that cannot be measured is left out with a warning: the image built, so the variant is not failed', async () => {
  const { run } = await bench(fakeEngine({ export: 'Dockerfile' }), { compressed: true });
  const results = await run;
  const [single, multi, scratch] = results.scenarios[0]!.variants;
  expect([single, multi, scratch].map((v) => [v!.id, v!.status, v!.compressedBytes, v!.warnings])).toEqual([
    ['single', 'ok', fakePullBytes(single!.imageId!), undefined],
    ['multi', 'ok', undefined, ['pull size not measured: the image export lacks l1/layer.tar, which its manifest.json names']],
    ['scratch', 'ok', fakePullBytes(scratch!.imageId!), undefined],
  ]);
});

test('an engine that stops answering ends the run: measured variants are written, clean-up runs, the error is rethrown', async () => {
  const engine = fakeEngine({ unreachableAt: 'Dockerfile.scratch' });
  const { run, latest } = await bench(engine);
  await expect(run).rejects.toBeInstanceOf(EngineUnreachableError);
  const written = latest();
  expect(written.run.status).toBe('error');
  expect(written.run.error).toMatch(/cannot reach the Docker engine/);
  expect(written.scenarios[0]!.variants.map((v) => [v.id, v.status])).toEqual([['single', 'ok'], ['multi', 'ok'], ['scratch', 'failed']]);
  expect(engine.cleanups).toBe(1);
});

test('the variant in flight when the engine goes away is recorded as not measured, and clean-up names `stagebench clean <run>`', async () => {
  const engine = fakeEngine({ unreachableAt: 'Dockerfile.scratch' });
  engine.cleanup = async () => {
    throw new EngineUnreachableError('cannot reach the Docker engine at unix:///x (ECONNREFUSED)');
  };
  const lines: string[] = [];
  const { run, latest } = await bench(engine, { progress: { ...progress, line: (l: string) => lines.push(l) } });
  await expect(run).rejects.toBeInstanceOf(EngineUnreachableError);
  const scratch = latest().scenarios[0]!.variants.find((v) => v.id === 'scratch')!;
  expect(scratch.notMeasured).toBe('engine-gone');
  expect(scratch.error?.message).toMatch(/^not measured: cannot reach the Docker engine/);
  expect(lines.join('\n')).toMatch(new RegExp(`stagebench clean ${latest().run.id}`));
});

test('Ctrl-C during one smoke check: the unchecked variants are not measured, never "ok"', async () => {
  const controller = new AbortController();
  const engine = fakeEngine({ onSmoke: () => controller.abort() });
  const lines: string[] = [];
  const { run } = await bench(engine, { smoke: true, signal: controller.signal, progress: { ...progress, line: (l: string) => lines.push(l) } });
  const results = await run;
  expect(results.run.status).toBe('interrupted');
  const variants = results.scenarios[0]!.variants;
  expect(variants.map((v) => [v.id, v.status, v.notMeasured])).toEqual([
    ['single', 'failed', 'interrupted'],
    ['multi', 'failed', 'interrupted'],
    ['scratch', 'failed', 'interrupted'],
  ]);
  expect(lines.join('\n')).not.toMatch(/undefined|FAILED\s*$/m);
});

test('Ctrl-C after the builds, before anything was measured: every built variant is not measured, never "ok", with its build time', async () => {
  const controller = new AbortController();
  // The last build finishes as Ctrl-C comes: every image is there, none was measured (no smoke check here).
  const engine = fakeEngine({ onBuild: (_req, n) => void (n === 3 && controller.abort()) });
  const lines: string[] = [];
  const { run, latest } = await bench(engine, { compressed: true, signal: controller.signal, progress: { ...progress, line: (l: string) => lines.push(l) } });
  const results = await run;
  expect(results.run.status).toBe('interrupted');
  expect(latest().scenarios[0]!.variants.map((v) => [v.id, v.status, v.notMeasured, v.error?.message, v.buildMs, v.compressedBytes])).toEqual(
    ['single', 'multi', 'scratch'].map((id) => [id, 'failed', 'interrupted', 'not measured: the run was interrupted before it was measured', 5, undefined]),
  );
  expect(lines.filter((l) => l.startsWith('hello'))).toEqual(['single', 'multi', 'scratch'].map((id) => `hello › ${id}: not measured: the run was interrupted before it was measured`));
});

test('a build cancelled by Ctrl-C is not measured, not failed; the builds that finished keep their statistics', async () => {
  const controller = new AbortController();
  // What DockerEngine.build returns when Ctrl-C closes the build's connection.
  const cancelled = (ctl: AbortController): BuildOutcome => {
    ctl.abort();
    return { auxIds: [], intermediateIds: [], containerIds: [], steps: [{ name: 'RUN sleep 30', cached: false }], warnings: [], failure: { message: 'interrupted: the build was cancelled', logTail: [] } };
  };
  // --runs 2, round 2: single builds again, multi's build is cancelled, scratch never builds again.
  const engine = fakeEngine({ onBuild: (_req, n) => (n === 5 ? cancelled(controller) : undefined) });
  const lines: string[] = [];
  const { run } = await bench(engine, { runs: 2, signal: controller.signal, progress: { ...progress, line: (l: string) => lines.push(l) } });
  const results = await run;
  expect(results.run.status).toBe('interrupted');
  const variants = results.scenarios[0]!.variants;
  expect(variants.map((v) => [v.id, v.status, v.notMeasured, v.error?.message, v.buildStats?.n ?? 1, v.buildMs])).toEqual([
    ['single', 'failed', 'interrupted', 'not measured: the run was interrupted before it was measured', 2, 5],
    ['multi', 'failed', 'interrupted', 'not measured: the run was interrupted and its build cancelled', 1, 5],
    ['scratch', 'failed', 'interrupted', 'not measured: the run was interrupted before it was measured', 1, 5],
  ]);
  // The cancelled build's partial steps are no sample: multi's steps are its finished build's.
  expect(variants[1]!.steps).toEqual([]);
  expect(lines.join('\n')).not.toMatch(/FAILED/);

  // Cancelled in the first round: the variant is kept (it was attempted) as not measured; the one after it never started.
  const first = new AbortController();
  const once = fakeEngine({ onBuild: (_req, n) => (n === 2 ? cancelled(first) : undefined) });
  const interrupted = await (await bench(once, { signal: first.signal })).run;
  expect(interrupted.scenarios[0]!.variants.map((v) => [v.id, v.status, v.notMeasured, v.buildMs])).toEqual([
    ['single', 'failed', 'interrupted', 5],
    ['multi', 'failed', 'interrupted', undefined],
  ]);
});

test('Ctrl-C during the pull of the first variant\'s base: interrupted, no variant failed, no later variant pulls', async () => {
  const controller = new AbortController();
  const engine = fakeEngine({});
  const pulls: string[] = [];
  // The base is missing for every variant (the fake never keeps what it pulled); the first pull is cut short.
  engine.hasImage = async () => false;
  engine.pull = async (ref: string, signal?: AbortSignal) => {
    pulls.push(ref);
    controller.abort();
    if (signal?.aborted) throw new Error('aborted');
  };
  const lines: string[] = [];
  const { run, latest } = await bench(engine, { signal: controller.signal, progress: { ...progress, line: (l: string) => lines.push(l) } });
  const results = await run;
  expect(results.run.status).toBe('interrupted');
  expect(pulls).toEqual(['stagebench-fixture/busybox:latest']);
  // Nothing was built: every variant is left out (README: "a variant not yet built is left out"), none is failed.
  expect(latest().scenarios[0]!.variants).toEqual([]);
  expect(lines.join('\n')).not.toMatch(/FAILED/);
  expect(engine.cleanups).toBe(1);
});

test('--keep-images with --runs 3: clean-up is given every round\'s image and each variant\'s tag, and keeps the tags (on the last images)', async () => {
  const engine = fakeEngine({});
  const results = await (await bench(engine, { keepImages: true, runs: 3 })).run;
  const last = results.scenarios[0]!.variants.map((v) => v.imageId);
  expect(last).toEqual(['sha256:Dockerfile.single-7', 'sha256:Dockerfile-8', 'sha256:Dockerfile.scratch-9']);
  const [made, before, label, keep] = engine.cleanupArgs[0] as [unknown, ReadonlySet<string>, [string, string], string[]];
  // What was on the engine when the run started: never removed.
  expect([...before]).toEqual(['cached']);
  const tags = ['single', 'multi', 'scratch'].map((v) => `stagebench/hello:${v}-${results.run.id}`);
  expect(made).toEqual({
    containers: [],
    images: ['Dockerfile.single-1', 'Dockerfile.single-4', 'Dockerfile.single-7', 'Dockerfile-2', 'Dockerfile-5', 'Dockerfile-8', 'Dockerfile.scratch-3', 'Dockerfile.scratch-6', 'Dockerfile.scratch-9'].map((id) => `sha256:${id}`),
    tags,
  });
  expect(label).toEqual(['org.stagebench.run', results.run.id]);
  expect(keep).toEqual(tags);
  expect(results.scenarios[0]!.variants.map((v) => v.imageTag)).toEqual(tags);
});

test('step times over rounds: the median per step, matched by name and occurrence', async () => {
  const { medianSteps } = await import('../../../harness/measure/step-times.js');
  const round = (a: number, b: number, c: number) => [
    { name: 'FROM x', cached: true, ms: a },
    { name: 'RUN y', cached: false, ms: b },
    { name: 'FROM x', cached: false, ms: c },
  ];
  expect(medianSteps([round(1, 100, 5), round(3, 300, 7), round(2, 200, 9)])).toEqual([
    { name: 'FROM x', cached: true, ms: 2 },
    { name: 'RUN y', cached: false, ms: 200 },
    { name: 'FROM x', cached: false, ms: 7 },
  ]);
  expect(medianSteps([[{ name: 'only', cached: false }]])).toEqual([{ name: 'only', cached: false }]);
});

test('--jobs 2 builds two variants at a time, measures every one, and says so in the results', async () => {
  let running = 0;
  let most = 0;
  const engine = fakeEngine({});
  const build = engine.build;
  engine.build = async (req) => {
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, 20));
    running--;
    return build(req);
  };
  const { run } = await bench(engine, { jobs: 2, compressed: true });
  const results = await run;
  expect(most).toBe(2);
  expect(results.jobs).toBe(2);
  expect(results.scenarios[0]!.variants.map((v) => [v.id, v.status, v.compressedBytes])).toEqual(
    results.scenarios[0]!.variants.map((v) => [v.id, 'ok', fakePullBytes(v.imageId!)]),
  );
  expect(results.scenarios[0]!.variants.map((v) => v.id)).toEqual(['single', 'multi', 'scratch']);
});

test("each built variant's measuring steps come under its own name, not under the last variant built", async () => {
  const said: string[] = [];
  const record = { variant: (s: string, v: string) => said.push(`variant ${s}/${v}`), measuring: (s: string, v: string) => said.push(`measuring ${s}/${v}`), step: (t: string) => said.push(`step ${t}`), line: () => undefined };
  const { run } = await bench(fakeEngine({ inspect: 'Dockerfile' }), { compressed: true, progress: record });
  await run;
  // multi failed (its inspect): nothing of it is measured, so it gets no heading.
  expect(said.filter((l) => !l.startsWith('step ') || l.includes('pull size'))).toEqual([
    'variant hello/single',
    'variant hello/multi',
    'variant hello/scratch',
    'measuring hello/single',
    'step compressing layers for the pull size',
    'measuring hello/scratch',
    'step compressing layers for the pull size',
  ]);
});

test("the variants' contains checks run while the engine computes the scenario's disk usage, not after it", async () => {
  const engine = fakeEngine({});
  const checked: string[] = [];
  let allChecked!: () => void;
  const checks = new Promise<void>((resolve) => (allChecked = resolve));
  engine.pathsPresent = async (image) => {
    checked.push(image);
    if (checked.length === 3) allChecked();
    return new Set();
  };
  // Answers only once every variant's contains check has started: waiting for it first would never end.
  engine.diskUsage = async () => (await checks, new Map());
  const results = await (await bench(engine)).run;
  expect(checked.sort()).toEqual(['sha256:Dockerfile-2', 'sha256:Dockerfile.scratch-3', 'sha256:Dockerfile.single-1']);
  expect(results.scenarios[0]!.variants.map((v) => [v.id, v.status, v.contains?.shell?.present])).toEqual([
    ['single', 'ok', false],
    ['multi', 'ok', false],
    ['scratch', 'ok', false],
  ]);
});

test('a contains check that fails fails its variant, and keeps what was measured before it: build times, samples, composition', async () => {
  const engine = fakeEngine({});
  engine.pathsPresent = async (image) => {
    if (image.startsWith('sha256:Dockerfile-')) throw new EngineError(`creating a container of ${image} failed: boom`);
    return new Set();
  };
  const results = await (await bench(engine, { runs: 2 })).run;
  const multi = results.scenarios[0]!.variants.find((v) => v.id === 'multi')!;
  expect([multi.status, multi.error?.message]).toEqual(['failed', 'creating a container of sha256:Dockerfile-5 failed: boom']);
  expect([multi.buildMs, multi.samples?.length, multi.buildStats?.n]).toEqual([5, 2, 2]);
  // The fake engine's sizes: 1000 bytes per character of the id (image) or reference (its FROM base).
  expect([multi.sizeBytes, multi.baseBytes, multi.addedBytes]).toEqual([19_000, 33_000, -14_000]);
  expect(results.scenarios[0]!.variants.map((v) => [v.id, v.status])).toEqual([
    ['single', 'ok'],
    ['multi', 'failed'],
    ['scratch', 'ok'],
  ]);
});

test("one disk-usage call per scenario, for all its variants' images at once", async () => {
  const engine = fakeEngine({});
  const asked: string[][] = [];
  engine.diskUsage = async (images) => (asked.push(images.map((i) => i.id)), new Map());
  await (await bench(engine)).run;
  expect(asked).toEqual([['sha256:Dockerfile.single-1', 'sha256:Dockerfile-2', 'sha256:Dockerfile.scratch-3']]);
});

test("a run writes each scenario's reference and compares the others with it: single by default, the one scenario.json names otherwise", async () => {
  const [scenario] = await discoverScenarios(new URL('../../fixtures/scenarios', import.meta.url).pathname);
  // Sizes from the fake engine: the image id's length × 1000, so Dockerfile.scratch's image is the largest.
  const sized = async (reference: string) => (await (await bench(fakeEngine({}), { scenarios: [{ ...scenario!, reference }] })).run).scenarios[0]!;
  const single = await sized('single');
  const size = (s: typeof single, id: string) => s.variants.find((v) => v.id === id)!.sizeBytes!;
  expect(single.reference).toBe('single');
  expect(single.comparisons.map((c) => [c.variant, c.against, c.bytesSaved])).toEqual([
    ['multi', 'single', size(single, 'single') - size(single, 'multi')],
    ['scratch', 'single', size(single, 'single') - size(single, 'scratch')],
  ]);
  const scratch = await sized('scratch');
  expect(scratch.reference).toBe('scratch');
  expect(scratch.comparisons.map((c) => [c.variant, c.against, c.bytesSaved])).toEqual([
    ['single', 'scratch', size(scratch, 'scratch') - size(scratch, 'single')],
    ['multi', 'scratch', size(scratch, 'scratch') - size(scratch, 'multi')],
  ]);
});
