import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';

export interface CompressedSize {
  /** Config (stored as is) plus every layer gzipped: what a registry stores for the image. */
  totalBytes: number;
  configBytes: number;
  layers: { diffId: string; bytes: number; gzipBytes: number }[];
}

/** gzip level 6, the same as docker push's default. */
const LEVEL = 6;

/** gzipped size of one layer; layers already seen (same DiffID) are not compressed again. */
export type LayerCache = Map<string, number>;

function measureEntry(entry: Readable, skipGzip: boolean): Promise<{ diffId: string; bytes: number; gzipBytes?: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    let gzipBytes = 0;
    const gzip = skipGzip ? undefined : createGzip({ level: LEVEL });
    gzip?.on('data', (chunk: Buffer) => (gzipBytes += chunk.length));
    entry.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
      if (gzip && !gzip.write(chunk)) {
        entry.pause();
        gzip.once('drain', () => entry.resume());
      }
    });
    entry.on('error', reject);
    entry.on('end', () => {
      const diffId = `sha256:${hash.digest('hex')}`;
      if (!gzip) return resolve({ diffId, bytes });
      gzip.on('end', () => resolve({ diffId, bytes, gzipBytes }));
      gzip.on('error', reject);
      gzip.end();
    });
  });
}

/**
 * Reads an image export (`GET /images/{id}/get`, either the classic or the OCI layout: manifest.json names
 * the files in both) as a stream, one entry at a time, and gzips each layer: nothing is held in memory
 * beyond one chunk. `expected` are the image's DiffIDs in order; a layer whose DiffID is in the cache is read
 * (to check it) but not compressed again.
 */
export async function compressedSize(exportImage: () => Promise<Readable>, expected: string[], cache: LayerCache): Promise<CompressedSize> {
  // Skipping relies on the export listing layers in image order, as the classic layout does; when a skipped
  // entry turns out to be another layer, measure again compressing everything.
  return (await measureExport(await exportImage(), expected, cache, true)) ?? (await measureExport(await exportImage(), expected, cache, false))!;
}

async function measureExport(exported: Readable, expected: string[], cache: LayerCache, useCache: boolean): Promise<CompressedSize | undefined> {
  const extract = tar.extract();
  const entries = new Map<string, { diffId: string; bytes: number; gzipBytes?: number; predicted?: string }>();
  const small = new Map<string, Buffer>();
  let layerIndex = 0;
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const name = header.name;
      // Classic layout: <id>/layer.tar; OCI layout: blobs/sha256/<digest>, layers and small JSON alike.
      if (name.endsWith('/layer.tar') || name.startsWith('blobs/')) {
        const predicted = expected[layerIndex++];
        const skip = useCache && predicted !== undefined && cache.has(predicted);
        measureEntry(stream as unknown as Readable, skip)
          .then((m) => {
            entries.set(name, { ...m, ...(skip ? { predicted } : {}) });
            next();
          })
          .catch(reject);
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        small.set(name, Buffer.concat(chunks));
        next();
      });
      stream.on('error', reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
    exported.on('error', reject);
  });
  exported.pipe(extract);
  await done;

  const manifestJson = small.get('manifest.json');
  if (!manifestJson) throw new Error('the image export has no manifest.json');
  const [manifest] = JSON.parse(manifestJson.toString('utf8')) as { Config: string; Layers: string[] }[];
  if (!manifest) throw new Error('the image export names no image');
  const configBytes = small.get(manifest.Config)?.length ?? entries.get(manifest.Config)?.bytes ?? 0;
  const layers = [];
  for (const file of manifest.Layers) {
    const m = entries.get(file);
    if (!m) throw new Error(`the image export lacks ${file}`);
    if (m.predicted !== undefined && m.predicted !== m.diffId) return undefined;
    const gzipBytes = m.gzipBytes ?? cache.get(m.diffId);
    if (gzipBytes === undefined) return undefined;
    cache.set(m.diffId, gzipBytes);
    layers.push({ diffId: m.diffId, bytes: m.bytes, gzipBytes });
  }
  return { totalBytes: configBytes + layers.reduce((n, l) => n + l.gzipBytes, 0), configBytes, layers };
}
