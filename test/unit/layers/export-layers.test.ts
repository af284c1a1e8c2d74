import { createHash } from 'node:crypto';
import tar from 'tar-stream';
import { exportLayerFiles } from '../../../harness/layers/export-layers.js';
import { chunked, layerTar } from './layer-tar.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function exportOf(entries: [string, Buffer][]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((r) => pack.on('end', () => r()));
  for (const [name, content] of entries) pack.entry({ name }, content);
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

let l1: Buffer, l2: Buffer;
beforeAll(async () => {
  l1 = await layerTar([{ name: 'a', size: 10 }]);
  l2 = await layerTar([{ name: 'b', size: 20 }]);
});

test('classic layout: layers in image order, a cached one skipped unread', async () => {
  const manifest = Buffer.from(JSON.stringify([{ Config: 'c.json', Layers: ['one/layer.tar', 'two/layer.tar'] }]));
  const exported = await exportOf([['c.json', Buffer.from('{}')], ['one/layer.tar', l1], ['two/layer.tar', l2], ['manifest.json', manifest]]);
  const all = await exportLayerFiles(chunked(exported), [sha(l1), sha(l2)], () => false);
  expect([...all!.keys()]).toEqual([sha(l1), sha(l2)]);
  expect(all!.get(sha(l2))!.entries).toEqual([{ path: 'b', kind: 'file', size: 20 }]);
  const some = await exportLayerFiles(chunked(exported), [sha(l1), sha(l2)], (d) => d === sha(l1));
  expect([...some!.keys()]).toEqual([sha(l2)]);
});

test('a layer entry out of image order makes a skip unsafe: undefined asks for a full read', async () => {
  const manifest = Buffer.from(JSON.stringify([{ Config: 'c.json', Layers: ['one/layer.tar', 'two/layer.tar'] }]));
  const exported = await exportOf([['two/layer.tar', l2], ['one/layer.tar', l1], ['manifest.json', manifest]]);
  expect(await exportLayerFiles(chunked(exported), [sha(l1), sha(l2)], (d) => d === sha(l1))).toBeUndefined();
  const all = await exportLayerFiles(chunked(exported), [sha(l1), sha(l2)], () => false);
  expect(all!.get(sha(l1))!.entries[0]!.path).toBe('a');
});

test('OCI layout: blobs named by digest; a JSON blob is not a layer and does not stall the read', async () => {
  const config = Buffer.from(JSON.stringify({ rootfs: { diff_ids: [] }, padding: 'x'.repeat(3000) }));
  const hex = (b: Buffer) => sha(b).slice('sha256:'.length);
  const manifest = Buffer.from(JSON.stringify([{ Config: `blobs/sha256/${hex(config)}`, Layers: [`blobs/sha256/${hex(l1)}`, `blobs/sha256/${hex(l2)}`] }]));
  const exported = await exportOf([[`blobs/sha256/${hex(config)}`, config], [`blobs/sha256/${hex(l2)}`, l2], [`blobs/sha256/${hex(l1)}`, l1], ['manifest.json', manifest]]);
  const some = await exportLayerFiles(chunked(exported, 300), [sha(l1), sha(l2)], (d) => d === sha(l1));
  expect([...some!.keys()]).toEqual([sha(l2)]);
});
