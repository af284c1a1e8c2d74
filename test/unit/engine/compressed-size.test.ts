import { gzipSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import { PullSizer } from '../../../harness/engine/compressed-size.js';
import { type GzipPool, inlineGzip, workerGzip } from '../../../harness/engine/gzip-pool.js';
import { analyzeImage, type ExportConsumer, readImageExport } from '../../../harness/engine/image-export.js';
import { MemoryRecordCache } from '../../../harness/engine/layer-cache.js';
import { classicExport, gzip6, image, type Image, layerTar, ociExport, podmanExport, sha256 } from './export-fixtures.js';

/** Counts the layers a pool was asked to compress. */
function counting(pool: GzipPool): GzipPool & { started: number } {
  const counted = {
    started: 0,
    start: () => {
      counted.started++;
      return pool.start();
    },
    prepare: () => pool.prepare(),
    close: () => pool.close(),
  };
  return counted;
}

const pools: GzipPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});
const workers = () => {
  const p = workerGzip(2);
  pools.push(p);
  return counting(p);
};

/** What today's single-threaded measurement gives: config as is plus gzip -6 of each layer tar. */
const expected = (img: Image) => img.config.length + img.layers.reduce((n, l) => n + gzip6(l), 0);

let base: Buffer, big: Buffer, app: Buffer, tiny: Buffer;
beforeAll(async () => {
  base = await layerTar(1, 3_000_000); // over the 1 MB hold limit
  big = await layerTar(2, 1_500_000);
  app = await layerTar(3, 200_000);
  tiny = await layerTar(4, 10);
});

async function measure(sizer: PullSizer, img: Image, exported: () => Promise<Readable>) {
  let exports = 0;
  const [size] = await analyzeImage(img, () => (exports++, exported()), [sizer]);
  return { size, exports };
}

describe.each([
  ['classic layout (Docker ≤ 24)', (img: Image) => classicExport(img)],
  ['classic layout read in 700-byte chunks', (img: Image) => classicExport(img, true)],
  ['OCI layout with uncompressed blobs (Docker ≥ 25, graph-driver store)', (img: Image) => ociExport(img)],
  ['Podman, manifest naming the layer.tar symlinks', (img: Image) => podmanExport(img, 'symlinks')],
  ['Podman, manifest naming <diffid>.tar', (img: Image) => podmanExport(img, 'files')],
])('%s', (_name, exportOf) => {
  test('config plus gzip -6 of each layer, the same bytes as a single-threaded zlib; each new layer compressed once', async () => {
    const pool = workers();
    const sizer = new PullSizer(new MemoryRecordCache(), pool);
    const img = image([base, big, app, tiny]);
    const { size, exports } = await measure(sizer, img, () => exportOf(img));
    expect(size.totalBytes).toBe(expected(img));
    expect(size.configBytes).toBe(img.config.length);
    expect(size.layers.map((l) => [l.diffId, l.gzipBytes, l.source])).toEqual(img.layers.map((l) => [sha256(l), gzip6(l), 'compressed']));
    expect([size.layersFromCache, exports, pool.started]).toEqual([0, 1, 4]);
  });

  test('an image measured before costs no export; a new image compresses only its new layers', async () => {
    const pool = workers();
    const sizer = new PullSizer(new MemoryRecordCache(), pool);
    const first = image([base, big, app]);
    await measure(sizer, first, () => exportOf(first));
    const again = await measure(sizer, first, () => exportOf(first));
    expect([again.size.totalBytes, again.size.layersFromCache, again.exports]).toEqual([expected(first), 3, 0]);

    const second = image([base, big, tiny], 'second');
    pool.started = 0;
    const next = await measure(sizer, second, () => exportOf(second));
    expect(next.size.totalBytes).toBe(expected(second));
    expect(next.size.layers.map((l) => l.source)).toEqual(['cache', 'cache', 'compressed']);
    expect([next.size.layersFromCache, next.exports, pool.started]).toEqual([2, 1, 1]);
  });
});

test('a DiffID twice in an image is counted twice and compressed once', async () => {
  const pool = workers();
  const img = image([base, app, base]);
  const { size } = await measure(new PullSizer(new MemoryRecordCache(), pool), img, () => ociExport(img));
  expect(size.totalBytes).toBe(expected(img));
  expect(pool.started).toBe(2);
});

test('containerd image store: the stored gzip blobs are the pull size (no recompression); an uncompressed blob is gzipped', async () => {
  const pool = workers();
  const img = image([base, big, app]);
  // Stored at level 1 (as another client might have pushed them), the base loaded uncompressed.
  const stored = [base, gzipSync(big, { level: 1 }), gzipSync(app, { level: 9 })];
  const { size } = await measure(new PullSizer(new MemoryRecordCache(), pool), img, () => ociExport(img, stored));
  expect(size.layers.map((l) => [l.diffId, l.gzipBytes, l.source])).toEqual([
    [sha256(base), gzip6(base), 'compressed'],
    [sha256(big), stored[1]!.length, 'stored'],
    [sha256(app), stored[2]!.length, 'stored'],
  ]);
  expect(size.totalBytes).toBe(img.config.length + gzip6(base) + stored[1]!.length + stored[2]!.length);
  expect(pool.started).toBe(1);
});

test('classic layout: a layer whose size matched a cached one but whose hash does not is measured in a second pass', async () => {
  const records = new MemoryRecordCache();
  const pool = workers();
  const sizer = new PullSizer(records, pool);
  const img = image([base, app]);
  // A record claiming a layer of the image has base's tar size, while the export's base hashes differently.
  await records.set('pull-size/layer', `${(await import('../../../harness/engine/gzip-pool.js')).COMPRESSOR} ${sha256(app)}`, { tarBytes: base.length, gzipBytes: 1 });
  const { size, exports } = await measure(sizer, img, () => classicExport(img));
  expect(exports).toBe(2);
  expect(size.layers.map((l) => [l.diffId, l.gzipBytes])).toEqual([[sha256(base), gzip6(base)], [sha256(app), 1]]);
});

test('the worker pool and the main thread give the same gzipped sizes, whatever the chunking', async () => {
  const data = Buffer.concat([base, big, app]);
  const sizes = async (pool: GzipPool, chunk: number) => {
    const job = pool.start();
    for (let o = 0; o < data.length; o += chunk) await job.write(data.subarray(o, o + chunk));
    return job.end();
  };
  const pool = workerGzip(2, 64 * 1024); // a small in-flight bound: writes must wait for the workers
  // Batches of 10 kB: chunks smaller than a batch fill it, larger ones are split across batches.
  const small = workerGzip(2, 64 * 1024, 10_000);
  pools.push(pool, small);
  const results = await Promise.all([sizes(pool, 1000), sizes(pool, 65536), sizes(small, 1000), sizes(small, 65536), sizes(inlineGzip(), 4096)]);
  expect(results).toEqual(Array(5).fill(gzip6(data)));
});

test('other consumers see every layer entry with its digest, in the same pass', async () => {
  const img = image([base, app]);
  const seen: { path: string; bytes: number; digest: string }[] = [];
  const lister: ExportConsumer = {
    open(entry) {
      let bytes = 0;
      return { write: (c) => void (bytes += c.length), end: (digest) => void seen.push({ path: entry.path, bytes, digest }) };
    },
  };
  const index = await readImageExport(await classicExport(img), [lister]);
  expect(index.layout).toBe('classic');
  expect(seen.map((s) => [s.bytes, s.digest]).sort()).toEqual(img.layers.map((l) => [l.length, sha256(l)]).sort());
  expect(index.layers.map((p) => index.entries.get(p)!.digest)).toEqual(img.diffIds);
});

test('an export without manifest.json, or missing a layer it names, is an error that says so', async () => {
  const img = image([app]);
  const { tarOf } = await import('./export-fixtures.js');
  const { Readable } = await import('node:stream');
  await expect(readImageExport(Readable.from([await tarOf([{ name: 'x/layer.tar', data: app }])]), [])).rejects.toThrow('the image export has no manifest.json');
  const manifest = Buffer.from(JSON.stringify([{ Config: 'c.json', Layers: ['gone/layer.tar'] }]));
  await expect(readImageExport(Readable.from([await tarOf([{ name: 'c.json', data: img.config }, { name: 'manifest.json', data: manifest }])]), [])).rejects.toThrow('the image export lacks gone/layer.tar');
});
