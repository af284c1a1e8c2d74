import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

/** Constructed image exports, one per layout engines write (see harness/engine/image-export.ts). */

export const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const hex = (digest: string) => digest.slice('sha256:'.length);

type Entry = { name: string; data?: Buffer; linkname?: string };

export async function tarOf(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const e of entries) {
    if (e.linkname !== undefined) pack.entry({ name: e.name, type: 'symlink', linkname: e.linkname });
    else if (e.data === undefined) pack.entry({ name: e.name, type: 'directory' });
    else pack.entry({ name: e.name, size: e.data.length }, e.data);
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A deterministic layer tar of about `size` bytes: compressible text and some noise, so gzip sizes differ. */
export async function layerTar(seed: number, size: number): Promise<Buffer> {
  let x = seed * 2654435761 + 1;
  const noise = Buffer.alloc(Math.floor(size / 4));
  for (let i = 0; i < noise.length; i++) noise[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  const text = Buffer.from(`layer ${seed} `.repeat(Math.ceil((size - noise.length) / 10))).subarray(0, size - noise.length);
  return tarOf([
    { name: `etc/` },
    { name: `etc/file-${seed}.txt`, data: text },
    { name: `bin/blob-${seed}`, data: noise },
  ]);
}

export const gzip6 = (b: Buffer) => gzipSync(b, { level: 6 }).length;

export interface Image {
  id: string;
  diffIds: string[];
  config: Buffer;
  layers: Buffer[];
}

export function image(layers: Buffer[], tag = 'x'): Image {
  const diffIds = layers.map(sha256);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { tag } }, rootfs: { type: 'layers', diff_ids: diffIds } }));
  return { id: sha256(config), diffIds, config, layers };
}

const stream = (b: Buffer) => Readable.from([b]);
/** Splits into small chunks, as a socket would, so readers cannot rely on whole headers in one chunk. */
const chunked = (b: Buffer, size = 700) => Readable.from((function* () {
  for (let o = 0; o < b.length; o += size) yield b.subarray(o, o + size);
})());

/** Docker ≤ 24: `<v1-id>/layer.tar` in folders sorted by a v1 id that is not the DiffID; manifest.json last. */
export async function classicExport(img: Image, small = false): Promise<Readable> {
  const v1 = img.layers.map((_, i) => createHash('sha256').update(`v1-${img.id}-${i}`).digest('hex'));
  const folders = img.layers.map((data, i) => ({ id: v1[i]!, data })).sort((a, b) => a.id.localeCompare(b.id));
  const entries: Entry[] = [{ name: `${hex(img.id)}.json`, data: img.config }];
  for (const f of folders) entries.push({ name: `${f.id}/` }, { name: `${f.id}/VERSION`, data: Buffer.from('1.0') }, { name: `${f.id}/json`, data: Buffer.from(`{"id":"${f.id}"}`) }, { name: `${f.id}/layer.tar`, data: f.data });
  entries.push({ name: 'manifest.json', data: Buffer.from(JSON.stringify([{ Config: `${hex(img.id)}.json`, RepoTags: ['x:y'], Layers: v1.map((id) => `${id}/layer.tar`) }])) });
  entries.push({ name: 'repositories', data: Buffer.from('{}') });
  const b = await tarOf(entries);
  return small ? chunked(b) : stream(b);
}

/**
 * Docker ≥ 25: an OCI layout. `stored` gives each layer's blob as the engine stores it: the layer tar itself
 * (graph-driver store) or a compressed blob (containerd image store). Blobs sorted by digest.
 */
export async function ociExport(img: Image, stored: Buffer[] = img.layers): Promise<Readable> {
  const layerDigests = stored.map(sha256);
  const ociManifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    config: { digest: img.id, size: img.config.length },
    layers: stored.map((b, i) => ({ digest: layerDigests[i], size: b.length })),
  }));
  const blobs = new Map<string, Buffer>([[img.id, img.config], [sha256(ociManifest), ociManifest]]);
  stored.forEach((b, i) => blobs.set(layerDigests[i]!, b));
  const entries: Entry[] = [{ name: 'blobs/' }, { name: 'blobs/sha256/' }];
  for (const [digest, data] of [...blobs].sort(([a], [b]) => a.localeCompare(b))) entries.push({ name: `blobs/sha256/${hex(digest)}`, data });
  entries.push({ name: 'index.json', data: Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ digest: sha256(ociManifest), size: ociManifest.length }] })) });
  entries.push({ name: 'manifest.json', data: Buffer.from(JSON.stringify([{ Config: `blobs/sha256/${hex(img.id)}`, RepoTags: ['x:y'], Layers: layerDigests.map((d) => `blobs/sha256/${hex(d)}`) }])) });
  entries.push({ name: 'oci-layout', data: Buffer.from('{"imageLayoutVersion":"1.0.0"}') });
  return stream(await tarOf(entries));
}

/** Podman: `<diffid>.tar` at the top, `<v1-id>/layer.tar` symlinks to them; manifest.json names either. */
export async function podmanExport(img: Image, manifestNames: 'symlinks' | 'files'): Promise<Readable> {
  const v1 = img.layers.map((_, i) => createHash('sha256').update(`podman-${i}`).digest('hex'));
  const entries: Entry[] = img.layers.map((data, i) => ({ name: `${hex(img.diffIds[i]!)}.tar`, data }));
  img.layers.forEach((_, i) => entries.push({ name: `${v1[i]}/` }, { name: `${v1[i]}/layer.tar`, linkname: `../${hex(img.diffIds[i]!)}.tar` }, { name: `${v1[i]}/VERSION`, data: Buffer.from('1.0') }));
  entries.push({ name: `${hex(img.id)}.json`, data: img.config });
  const layers = manifestNames === 'symlinks' ? v1.map((id) => `${id}/layer.tar`) : img.diffIds.map((d) => `${hex(d)}.tar`);
  entries.push({ name: 'manifest.json', data: Buffer.from(JSON.stringify([{ Config: `${hex(img.id)}.json`, RepoTags: ['x:y'], Layers: layers }])) });
  return stream(await tarOf(entries));
}

/** For fake engines: an image of one layer made from its id, its DiffIDs for inspect, and its export. */
export const fakeLayer = (id: string) => Buffer.from(`the one layer of ${id}\n`.repeat(200));
export const fakeDiffIds = (id: string) => [sha256(fakeLayer(id))];
export const fakePullBytes = (id: string) => fakeConfig(id).length + gzip6(fakeLayer(id));
const fakeConfig = (id: string) => Buffer.from(JSON.stringify({ id }));
/** A classic-layout export; `broken` leaves out the layer its manifest names. */
export async function fakeExport(id: string, broken = false): Promise<Readable> {
  const manifest = Buffer.from(JSON.stringify([{ Config: 'config.json', Layers: ['l1/layer.tar'] }]));
  return stream(await tarOf([{ name: 'config.json', data: fakeConfig(id) }, ...(broken ? [] : [{ name: 'l1/layer.tar', data: fakeLayer(id) }]), { name: 'manifest.json', data: manifest }]));
}
