import { mergeResults } from '../../../harness/results/merge.js';
import { engineDifferences } from '../../../harness/results/comparable.js';
import type { Results } from '../../../harness/results/schema.js';
import { results, variant } from '../results-fixture.js';

/** The result of one shard: one scenario, its own run. */
function shard(name: string, index: number, count: number, edit: (r: Results) => void = () => {}): Results {
  const r = results([variant('single', { sizeBytes: 10 }), variant('multi', { sizeBytes: 5 })]);
  r.scenarios[0]!.name = name;
  r.run.id = `run-${index}`;
  r.createdAt = `2026-11-27T12:0${index}:00.000Z`;
  r.run.finishedAt = `2026-11-27T12:1${index}:00.000Z`;
  r.selection = { available: ['a-app', 'b-app'], shard: { index, count } };
  edit(r);
  return r;
}

test('two shards become one document: scenarios sorted, earliest start, latest finish, both run ids', () => {
  const merged = mergeResults([
    { file: 'two.json', results: shard('b-app', 2, 2) },
    { file: 'one.json', results: shard('a-app', 1, 2) },
  ]);
  expect(merged.scenarios.map((s) => s.name)).toEqual(['a-app', 'b-app']);
  expect(merged.createdAt).toBe('2026-11-27T12:01:00.000Z');
  expect(merged.run).toEqual({ id: 'run-2+run-1', status: 'complete', finishedAt: '2026-11-27T12:12:00.000Z' });
  expect(merged.selection).toEqual({ available: ['a-app', 'b-app'] });
  expect(merged.scenarios[1]!.comparisons).toEqual(shard('b-app', 2, 2).scenarios[0]!.comparisons);
});

test('the worst run status wins, and errors are kept', () => {
  const merged = mergeResults([
    { file: 'one.json', results: shard('a-app', 1, 2) },
    { file: 'two.json', results: shard('b-app', 2, 2, (r) => (r.run = { id: 'x', status: 'error', error: 'engine went away' })) },
  ]);
  expect(merged.run).toEqual({ id: 'run-1+x', status: 'error', error: 'engine went away' });
});

test('refused, with every reason at once: other engine, other settings, a scenario twice', () => {
  const other = shard('a-app', 2, 2, (r) => {
    r.engine = { ...r.engine, serverVersion: '20.10.25', storageDriver: 'btrfs', ncpu: 8 };
    r.builder = 'classic';
    r.buildCache = 'disabled';
    r.git = { commit: 'cafe', dirty: true };
  });
  expect(() => mergeResults([
    { file: 'one.json', results: shard('a-app', 1, 2) },
    { file: 'two.json', results: other },
  ])).toThrow(
    [
      'cannot merge these results:',
      '  - one.json and two.json differ in engine version: 20.10.24 ≠ 20.10.25',
      '  - one.json and two.json differ in storage driver: overlay2 ≠ btrfs',
      '  - one.json and two.json differ in builder: buildkit ≠ classic',
      '  - one.json and two.json differ in CPUs: 2 ≠ 8',
      '  - one.json and two.json differ in layer cache: used ≠ disabled',
      '  - one.json and two.json differ in commit: deadbeef ≠ cafe (dirty)',
      '  - scenario a-app is in both one.json and two.json',
    ].join('\n'),
  );
});

test('an incomplete or doubled set of shards is refused', () => {
  expect(() => mergeResults([
    { file: 'one.json', results: shard('a-app', 1, 3) },
    { file: 'two.json', results: shard('b-app', 2, 3) },
  ])).toThrow('shard 3/3 is not among the inputs');
  expect(() => mergeResults([
    { file: 'one.json', results: shard('a-app', 1, 2) },
    { file: 'again.json', results: shard('b-app', 1, 2) },
  ])).toThrow(/shard 1\/2 is given 2 times[\s\S]*shard 2\/2 is not among the inputs/);
  expect(() => mergeResults([
    { file: 'one.json', results: shard('a-app', 1, 2) },
    { file: 'two.json', results: shard('b-app', 2, 3) },
  ])).toThrow('the inputs come from different splits');
});

test('one file is not a merge', () => {
  expect(() => mergeResults([{ file: 'one.json', results: shard('a-app', 1, 1) }])).toThrow('merge needs at least two results files');
});

test('engineDifferences names each fact that differs, and nothing when they agree', () => {
  const a = results([]);
  expect(engineDifferences(a, a)).toEqual([]);
  const b = { builder: 'classic' as const, engine: { ...a.engine, serverVersion: '27.3.1', imageStore: 'containerd' as const, arch: 'arm64', kernelVersion: 'other', ncpu: 16 } };
  expect(engineDifferences(a, { ...a, engine: { ...a.engine, serverVersion: '20.10.99' } })).toEqual([]);
  expect(engineDifferences(a, b)).toEqual(['engine version: 20.10 ≠ 27.3', 'image store: graphdriver ≠ containerd', 'platform: linux/amd64 ≠ linux/arm64', 'builder: buildkit ≠ classic']);
});

test('Podman and Docker never compare or merge: the engine kind, store and builder really used all differ', () => {
  const docker = results([]);
  const podman = {
    ...docker,
    builderUsed: 'buildah' as const,
    engine: { ...docker.engine, kind: 'podman' as const, serverVersion: '4.3.1', storageDriver: 'overlay', imageStore: 'containers-storage' as const },
  };
  expect(engineDifferences(docker, podman)).toEqual([
    'engine: docker ≠ podman',
    'engine version: 20.10 ≠ 4.3',
    'storage driver: overlay2 ≠ overlay',
    'image store: graphdriver ≠ containers-storage',
    'builder: buildkit ≠ buildah',
  ]);
  // Asking Podman for classic or BuildKit builds with buildah all the same: those runs compare.
  expect(engineDifferences(podman, { ...podman, builder: 'classic' })).toEqual([]);
  expect(() => mergeResults([{ file: 'docker.json', results: docker }, { file: 'podman.json', results: { ...podman, scenarios: [] } }])).toThrow('docker.json and podman.json differ in engine: docker ≠ podman');
});

test('--deploy: runs with it merge with its record kept; with and without it, or at other bandwidths, are refused', () => {
  const deployed = (bandwidth?: string) => (r: Results) => {
    r.deploy = { registry: 'docker-registry 2.8.2+ds1', ...(bandwidth ? { bandwidth, bitsPerSecond: 100_000_000 } : {}) };
  };
  const merged = mergeResults([
    { file: 'one.json', results: shard('a-app', 1, 2, deployed('100Mbit')) },
    { file: 'two.json', results: shard('b-app', 2, 2, deployed('100Mbit')) },
  ]);
  expect(merged.deploy).toEqual({ registry: 'docker-registry 2.8.2+ds1', bandwidth: '100Mbit', bitsPerSecond: 100_000_000 });
  expect(() => mergeResults([{ file: 'one.json', results: shard('a-app', 1, 2) }, { file: 'two.json', results: shard('b-app', 2, 2, deployed()) }])).toThrow('one.json and two.json differ in --deploy: off ≠ on');
  expect(() => mergeResults([{ file: 'one.json', results: shard('a-app', 1, 2, deployed('1Gbit')) }, { file: 'two.json', results: shard('b-app', 2, 2, deployed('100Mbit')) }])).toThrow(
    'one.json and two.json differ in --deploy: on at 1Gbit ≠ on at 100Mbit',
  );
});
