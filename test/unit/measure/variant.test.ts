import { EngineError, EngineUnreachableError } from '../../../harness/errors.js';
import { FileLister } from '../../../harness/measure/file-lister.js';
import { PullSizer } from '../../../harness/engine/compressed-size.js';
import { inlineGzip } from '../../../harness/engine/gzip-pool.js';
import { MemoryRecordCache } from '../../../harness/engine/layer-cache.js';
import { VariantRun } from '../../../harness/measure/variant.js';
import { fakeEngine, type FakeEngineOptions } from '../cli/fake-engine.js';
import { benchOptions, recordingProgress, scenario } from './measure-fixtures.js';

const FILES = { 'Dockerfile.single': 'FROM busybox:1\n', Dockerfile: 'FROM busybox:1 AS b\nFROM scratch\nCOPY --from=b /bin/busybox /bin/busybox\n' };

function variantRun(engineOpts: FakeEngineOptions, file = {}, over: Parameters<typeof benchOptions>[0] = {}) {
  const s = scenario(FILES, file);
  const engine = fakeEngine({ sizes: { 'busybox:1': 1_000_000 }, ...engineOpts });
  const progress = recordingProgress();
  const opts = benchOptions({ progress, ...over });
  const run = new VariantRun(engine, s, s.variants.find((v) => v.id === 'multi')!, 'run1', opts, new PullSizer(new MemoryRecordCache(), inlineGzip()), new FileLister(new MemoryRecordCache()));
  return { run, engine, progress };
}

test('prepared, built, measured and checked: the result as the results file holds it', async () => {
  const { run, engine, progress } = variantRun({ present: ['/bin/busybox'], smokeExit: 0 }, { contains: { shell: ['/bin/sh', '/bin/busybox'] }, smoke: { command: ['/bin/busybox', 'true'], timeoutMs: 1000 } }, { compressed: true, smoke: true });
  await run.prepare();
  await run.buildRound(false);
  await run.finish();
  expect(run.failed).toBe(false);
  expect(run.attempted).toBe(true);
  expect(run.result).toEqual({
    id: 'multi',
    dockerfile: 'Dockerfile',
    status: 'ok',
    buildArgs: {},
    baseImages: ['scratch'],
    imageId: 'sha256:Dockerfile',
    imageTag: 'stagebench/app:multi-run1',
    sizeBytes: 80_000_000,
    layerCount: 2,
    historyCount: 3,
    steps: [{ name: 'FROM x', cached: true }],
    buildMs: 5,
    baseBytes: 0,
    addedBytes: 80_000_000,
    layers: [],
    // The fake engine's export: its config (2 bytes) and two layers gzipped; exact figures are compressed-size.test.ts's.
    compressedBytes: expect.any(Number),
    compressedFromCache: 0,
    configBytes: 2,
    rootLayers: [
      { diffId: expect.stringMatching(/^sha256:/), compressedBytes: expect.any(Number) },
      { diffId: expect.stringMatching(/^sha256:/), compressedBytes: expect.any(Number) },
    ],
    contains: { shell: { present: true, paths: ['/bin/busybox'] } },
    smoke: { status: 'ok', check: 'run ["/bin/busybox","true"] expecting exit 0', ms: expect.any(Number) },
    startMs: expect.any(Number),
  });
  expect(engine.containers.map((c) => [c.image, c.network, c.cmd])).toEqual([['sha256:Dockerfile', 'none', ['/bin/busybox', 'true']]]);
  // The image carries no run id (its id stays put from run to run); the run's containers do, for clean-up.
  expect(engine.builds[0]!.labels).toEqual({ 'org.stagebench': 'true', 'org.stagebench.scenario': 'app', 'org.stagebench.variant': 'multi' });
  expect(engine.containers[0]!.labels).toEqual({ ...engine.builds[0]!.labels, 'org.stagebench.run': 'run1' });
  expect(run.made).toEqual({ containers: [], images: ['sha256:Dockerfile'], tags: ['stagebench/app:multi-run1'] });
  expect(progress.said).toEqual(['step compressing layers for the pull size', 'step smoke check and start-up time']);
});

test('warm-ups are samples but not timed; several builds keep every sample', async () => {
  const { run } = variantRun({});
  await run.prepare();
  for (const warmup of [true, false, false]) await run.buildRound(warmup);
  await run.finish();
  expect(run.result.samples?.map((s) => s.warmup)).toEqual([true, false, false]);
  expect(run.result.buildStats?.n).toBe(2);
});

test('a failed build is a value: status failed, the failure kept, no image facts', async () => {
  const failure = { step: 'COPY', message: 'not found', logTail: [] };
  const { run } = variantRun({ failBuild: { Dockerfile: failure } });
  await run.prepare();
  await run.buildRound(false);
  await run.finish();
  expect(run.failed).toBe(true);
  expect(run.result).toMatchObject({ status: 'failed', error: failure });
  expect(run.result.sizeBytes).toBeUndefined();
});

test('a "# syntax=" frontend BuildKit cannot fetch: the failure says that line is why, and the two ways out', async () => {
  const message = 'failed to solve with frontend dockerfile.v0: failed to solve with frontend gateway.v0: failed to do request: Head "https://registry-1.docker.io/v2/docker/dockerfile/manifests/1": dial tcp: lookup registry-1.docker.io: no such host';
  const failure = { step: 'resolve image config for docker.io/docker/dockerfile:1', message, logTail: [] };
  const { run } = variantRun({ failBuild: { Dockerfile: failure } });
  await run.prepare();
  await run.buildRound(false);
  expect(run.result.error).toEqual({
    ...failure,
    message: `${message}\nThe Dockerfile's "# syntax=" line makes BuildKit fetch the frontend docker.io/docker/dockerfile:1 from its registry. Where none can be reached, remove that line (the engine's built-in frontend is used) or pass --builder classic.`,
  });
});

test('an engine error outside a build fails the variant with its message; an unreachable engine ends the run', async () => {
  const flaky = variantRun({});
  flaky.engine.inspect = async () => Promise.reject(new EngineError('inspecting image x failed: boom'));
  await flaky.run.prepare();
  await flaky.run.buildRound(false);
  expect(flaky.run.result).toMatchObject({ status: 'failed', error: { message: 'inspecting image x failed: boom', logTail: [] } });

  const gone = variantRun({});
  gone.engine.build = async () => Promise.reject(new EngineUnreachableError('cannot reach the Docker engine'));
  await gone.run.prepare();
  await expect(gone.run.buildRound(false)).rejects.toBeInstanceOf(EngineUnreachableError);
});

test('an incremental build is a sample, but the image facts stay those of the scenario as it is', async () => {
  const contexts: string[] = [];
  const { run, engine } = variantRun({ duringBuild: (req) => void (contexts.push(req.contextDir)) }, { incremental: { file: 'Dockerfile', line: '# {nonce}' } }, { modes: ['warm', 'incremental'] });
  await run.prepare();
  await run.buildRound(false, 'warm', 'n1');
  engine.inspect = async (id) => ({ id, sizeBytes: 1, layerCount: 9, historyCount: 9, history: [], diffIds: [] });
  await run.buildRound(false, 'incremental', 'n1');
  expect(run.result.sizeBytes).toBe(80_000_000);
  expect(run.result.layerCount).toBe(2);
  await run.finish();
  expect(run.result.samples?.map((s) => [s.mode, s.sizeBytes])).toEqual([
    ['warm', 80_000_000],
    ['incremental', 1],
  ]);
  expect(Object.keys(run.result.modeStats ?? {})).toEqual(['warm', 'incremental']);
  expect(contexts[1]).not.toBe(contexts[0]);
});

test('a variant never built was not attempted', () => {
  expect(variantRun({}).run.attempted).toBe(false);
});
