import type { Engine, ImageFacts } from '../../../harness/engine/engine.js';
import { diskUsageOf, measureComposition } from '../../../harness/measure/composition.js';
import { EngineUnreachableError } from '../../../harness/errors.js';
import { fakeEngine } from '../cli/fake-engine.js';

const image = (history: ImageFacts['history'], sizeBytes: number): ImageFacts => ({ id: 'sha256:img', sizeBytes, layerCount: history.length, historyCount: history.length, history, diffIds: [] });

test('what the Dockerfile adds on top of its final base; layers largest first, inherited ones marked; empty entries left out', async () => {
  const base = [
    { createdBy: 'ADD rootfs', sizeBytes: 5_000_000 },
    { createdBy: 'CMD sh', sizeBytes: 0 },
  ];
  const engine: Engine = { ...fakeEngine({ history: { 'node:24': base }, sizes: { 'node:24': 5_000_000 } }), diskUsage: async () => new Map([['sha256:img', { uniqueBytes: 7, sharedBytes: 5_000_000 }]]) };
  const built = image([...base, { createdBy: 'COPY app', sizeBytes: 300 }, { createdBy: 'RUN npm ci', sizeBytes: 2_000_000 }, { createdBy: 'ENV X=1', sizeBytes: 0 }], 7_000_300);
  expect(await measureComposition(engine, built, 'node:24')).toEqual({
    baseBytes: 5_000_000,
    addedBytes: 2_000_300,
    layers: [
      { sizeBytes: 5_000_000, createdBy: 'ADD rootfs', fromBase: true },
      { sizeBytes: 2_000_000, createdBy: 'RUN npm ci', fromBase: false },
      { sizeBytes: 300, createdBy: 'COPY app', fromBase: false },
    ],
    uniqueBytes: 7,
    sharedBytes: 5_000_000,
  });
});

test('FROM scratch: the base is 0 bytes and nothing is inherited; no disk usage reported, none recorded', async () => {
  const engine = fakeEngine();
  const built = image([{ createdBy: 'COPY bin', sizeBytes: 1000 }], 1000);
  expect(await measureComposition(engine, built, 'SCRATCH')).toEqual({ baseBytes: 0, addedBytes: 1000, layers: [{ sizeBytes: 1000, createdBy: 'COPY bin', fromBase: false }] });
});

test('a history that does not start with the base history marks nothing as inherited', async () => {
  const engine = fakeEngine({ history: { 'node:24': [{ createdBy: 'ADD other', sizeBytes: 10 }] }, sizes: { 'node:24': 10 } });
  const built = image([{ createdBy: 'ADD rootfs', sizeBytes: 10 }], 10);
  expect((await measureComposition(engine, built, 'node:24')).layers).toEqual([{ sizeBytes: 10, createdBy: 'ADD rootfs', fromBase: false }]);
});

test('one disk-usage answer serves several images; with one image, or when it fails, each asks on its own', async () => {
  const asked: string[][] = [];
  const answer = new Map([['sha256:a', { uniqueBytes: 1, sharedBytes: 2 }], ['sha256:b', { uniqueBytes: 3, sharedBytes: 4 }]]);
  const engine: Engine = { ...fakeEngine(), diskUsage: async (images) => (asked.push(images.map((i) => i.id)), answer) };
  const a = { ...image([], 3), id: 'sha256:a' };
  const b = { ...image([], 7), id: 'sha256:b' };
  const usage = await diskUsageOf(engine, [a, b]);
  expect(asked).toEqual([['sha256:a', 'sha256:b']]);
  expect((await measureComposition(engine, b, 'scratch', usage)).uniqueBytes).toBe(3);
  expect(asked).toHaveLength(1);
  expect(await diskUsageOf(engine, [a])).toBeUndefined();
  const failing: Engine = { ...engine, diskUsage: async () => Promise.reject(new Error('409 already running')) };
  expect(await diskUsageOf(failing, [a, b])).toBeUndefined();
  const gone: Engine = { ...engine, diskUsage: async () => Promise.reject(new EngineUnreachableError('gone')) };
  await expect(diskUsageOf(gone, [a, b])).rejects.toBeInstanceOf(EngineUnreachableError);
});
