import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';

/**
 * Reading an image export (`GET /images/{id}/get`, `docker save`) in one streamed pass, for any analysis
 * that needs the layers' bytes. The layouts engines write (docs/architecture.md, "Image exports"):
 *  - Docker ≤ 24 (classic): `<v1-id>/layer.tar` (uncompressed), `<config-digest>.json`, `manifest.json`;
 *    the folder names are not DiffIDs, so a layer's DiffID is known only once its bytes are hashed.
 *  - Docker ≥ 25 (OCI): `blobs/sha256/<digest>` for layers, config and manifests alike, plus `manifest.json`
 *    and `index.json`. On a graph-driver store the layer blobs are uncompressed (blob digest = DiffID); on
 *    the containerd image store they are the stored blobs, usually gzip already.
 *  - Podman: `<diffid>.tar` at the top, `<v1-id>/layer.tar` symlinks to them, `<config-digest>.json`.
 * `manifest.json` (Config, Layers in image order) names the files in all three. Nothing is held in memory
 * beyond one chunk, a few kB of JSON, and what consumers keep.
 */

/** A layer-like entry of the export, as its header and first bytes describe it. */
export interface ExportEntry {
  path: string;
  bytes: number;
  /** The content digest, when the path says it (OCI blobs, Podman's `<diffid>.tar`). */
  digest?: string;
  /** How the bytes are encoded: a tar (an uncompressed layer), or a blob stored compressed. */
  encoding: 'tar' | 'gzip' | 'zstd';
}

/** Receives one entry's bytes, in order; `end` gets the content digest (from the path, or hashed). */
export interface EntrySink {
  write(chunk: Buffer): void | Promise<void>;
  end(digest: string): void | Promise<void>;
}

/**
 * A per-layer analysis hooked onto the export pass: asked once per layer-like entry, before its bytes,
 * whether it wants them. The pull size is one; an analysis of the files in each layer is another.
 */
export interface ExportConsumer {
  open(entry: ExportEntry): EntrySink | undefined;
}

/** What a pass found: every entry's size and digest, the manifest, and small JSON files. */
export interface ExportIndex {
  layout: 'classic' | 'oci' | 'podman';
  /** Config path and layer paths in image order, symlinks resolved. */
  config: string;
  layers: string[];
  entries: Map<string, { bytes: number; digest?: string; encoding?: ExportEntry['encoding'] }>;
}

/** Non-layer files up to this size are kept (manifests, configs); larger ones are only counted. */
const SMALL_FILE = 1024 * 1024;

const BLOB = /^blobs\/(sha256)\/([0-9a-f]{64})$/;
const PODMAN_LAYER = /^([0-9a-f]{64})\.tar$/;

function classify(path: string, first: Buffer | undefined): { digest?: string; encoding?: ExportEntry['encoding'] } {
  const blob = BLOB.exec(path);
  const podman = PODMAN_LAYER.exec(path);
  const digest = blob ? `${blob[1]}:${blob[2]}` : podman ? `sha256:${podman[1]}` : undefined;
  let encoding: ExportEntry['encoding'] | undefined;
  if (first && first.length >= 4 && first[0] === 0x1f && first[1] === 0x8b) encoding = 'gzip';
  else if (first && first.length >= 4 && first.readUInt32LE(0) === 0xfd2fb528) encoding = 'zstd';
  else if (path.endsWith('/layer.tar') || podman || (blob && first && isTar(first))) encoding = 'tar';
  return { ...(digest ? { digest } : {}), ...(encoding ? { encoding } : {}) };
}

/** A tar's first header block ("ustar" at 257), or the two zero blocks of an empty tar. */
const isTar = (first: Buffer) =>
  (first.length >= 262 && first.toString('latin1', 257, 262) === 'ustar') || (first.length >= 1024 && first.subarray(0, 1024).every((b) => b === 0));

/** Where a symlink entry points, as a path in the archive. */
const resolveLink = (path: string, target: string) => posix.normalize(posix.join(posix.dirname(path), target));

/**
 * Streams an export through the consumers. Every layer entry is offered to each consumer; an entry without
 * a digest in its path is hashed (SHA-256, about 2 GB/s) only when some consumer takes it.
 */
export async function readImageExport(exported: Readable, consumers: ExportConsumer[]): Promise<ExportIndex> {
  const extract = tar.extract();
  const entries: ExportIndex['entries'] = new Map();
  const small = new Map<string, Buffer>();
  const links = new Map<string, string>();
  exported.on('error', (err) => extract.destroy(err));
  exported.pipe(extract);

  for await (const entry of extract) {
    const { name, type, size, linkname } = entry.header;
    const path = posix.normalize(name);
    if (type === 'symlink' || type === 'link') {
      if (linkname) links.set(path, type === 'symlink' ? resolveLink(path, linkname) : posix.normalize(linkname));
      entry.resume();
      continue;
    }
    if (type !== 'file') {
      entry.resume();
      continue;
    }
    const iterator = entry[Symbol.asyncIterator]();
    // The first 1 kB (or all there is) decides the kind; chunks can be as small as the socket's reads.
    const heads: Buffer[] = [];
    let headBytes = 0;
    while (headBytes < 1024) {
      const next = await iterator.next();
      if (next.done) break;
      heads.push(next.value as Buffer);
      headBytes += (next.value as Buffer).length;
    }
    const first = heads.length > 0 ? Buffer.concat(heads) : undefined;
    const kind = classify(path, first);
    if (!kind.encoding) {
      // Not a layer: keep it when small (manifest.json, configs, OCI manifests), count it always.
      const chunks: Buffer[] = first ? [first] : [];
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) if (size! <= SMALL_FILE) chunks.push(next.value as Buffer);
      if (size! <= SMALL_FILE) small.set(path, Buffer.concat(chunks));
      entries.set(path, { bytes: size ?? 0, ...(kind.digest ? { digest: kind.digest } : {}) });
      continue;
    }
    const info: ExportEntry = { path, bytes: size ?? 0, encoding: kind.encoding, ...(kind.digest ? { digest: kind.digest } : {}) };
    const sinks = consumers.map((c) => c.open(info)).filter((s): s is EntrySink => s !== undefined);
    const hash = sinks.length > 0 && !kind.digest ? createHash('sha256') : undefined;
    const feed = async (chunk: Buffer) => {
      hash?.update(chunk);
      for (const sink of sinks) await sink.write(chunk);
    };
    if (first) await feed(first);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) if (sinks.length > 0) await feed(next.value as Buffer);
    const digest = kind.digest ?? (hash ? `sha256:${hash.digest('hex')}` : undefined);
    entries.set(path, { bytes: size ?? 0, encoding: kind.encoding, ...(digest ? { digest } : {}) });
    for (const sink of sinks) await sink.end(digest!);
  }

  const manifestJson = small.get('manifest.json');
  if (!manifestJson) throw new Error('the image export has no manifest.json');
  const [manifest] = JSON.parse(manifestJson.toString('utf8')) as { Config?: string; Layers?: string[] }[];
  if (!manifest?.Config || !Array.isArray(manifest.Layers)) throw new Error('the image export\'s manifest.json names no image');
  const follow = (p: string) => {
    let path = posix.normalize(p);
    for (let hops = 0; links.has(path) && hops < 8; hops++) path = links.get(path)!;
    return path;
  };
  const layers = manifest.Layers.map(follow);
  for (const layer of layers) if (!entries.has(layer)) throw new Error(`the image export lacks ${layer}, which its manifest.json names`);
  const config = follow(manifest.Config);
  if (!entries.has(config)) throw new Error(`the image export lacks its config ${config}`);
  const layout = layers.some((l) => l.startsWith('blobs/')) ? 'oci' : layers.some((l) => PODMAN_LAYER.test(l)) ? 'podman' : 'classic';
  return { layout, config, layers, entries };
}

/** An image as its inspect describes it: enough to key caches and to check an export against. */
export interface ImageLayers {
  id: string;
  /** RootFS.Layers, in image order. */
  diffIds: string[];
}

/** One analysis's part in an export pass. */
export interface ExportPass<R> {
  consumer: ExportConsumer;
  /** The result, once the pass is over; undefined asks for another pass (with `attempt` one higher). */
  finish(index: ExportIndex): Promise<R | undefined>;
}

/**
 * A per-layer analysis of an image (the pull size; the files in each layer). Each keeps its own cache of
 * per-layer results, keyed by layer digest: when every analysis answers from its cache, no export is read.
 */
export interface LayerAnalysis<R> {
  fromCache(image: ImageLayers): Promise<R | undefined>;
  pass(image: ImageLayers, attempt: number): Promise<ExportPass<R>>;
}

/**
 * Runs the analyses on one image: from their caches where they can, and the rest in one shared pass over
 * the export (a second pass only for an analysis that asks for one).
 */
export async function analyzeImage<T extends unknown[]>(
  image: ImageLayers,
  exportImage: () => Promise<Readable>,
  analyses: { [K in keyof T]: LayerAnalysis<T[K]> },
): Promise<T> {
  const results: unknown[] = await Promise.all(analyses.map((a) => a.fromCache(image)));
  for (let attempt = 0; attempt < 2; attempt++) {
    const todo = await Promise.all(analyses.flatMap((a, i) => (results[i] === undefined ? [a.pass(image, attempt).then((pass) => ({ i, pass }))] : [])));
    if (todo.length === 0) break;
    const index = await readImageExport(await exportImage(), todo.map((t) => t.pass.consumer));
    for (const { i, pass } of todo) results[i] = await pass.finish(index);
  }
  const missing = results.findIndex((r) => r === undefined);
  if (missing >= 0) throw new Error(`two passes over the export of ${image.id} did not give analysis ${missing + 1} a result`);
  return results as T;
}
