import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { analyzeImage } from '../../../harness/engine/image-export.js';
import { MemoryRecordCache } from '../../../harness/engine/layer-cache.js';
import { FileLister } from '../../../harness/measure/file-lister.js';
import { layerTar } from '../layers/layer-tar.js';

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

test('classic layout: listed in one pass, then from the cache with no export; a wrong order guess reads again', async () => {
  const l1 = await layerTar([{ name: 'a', size: 10 }]);
  const l2 = await layerTar([{ name: 'b', size: 20 }]);
  const manifest = Buffer.from(JSON.stringify([{ Config: 'c.json', Layers: ['one/layer.tar', 'two/layer.tar'] }]));
  const image = { id: 'sha256:img', diffIds: ['sha256:l1', 'sha256:l2'] };
  const lister = new FileLister(new MemoryRecordCache());
  let exports = 0;
  const inOrder = await exportOf([['c.json', Buffer.from('{}')], ['one/layer.tar', l1], ['two/layer.tar', l2], ['manifest.json', manifest]]);
  const [first] = await analyzeImage(image, async () => (exports++, Readable.from([inOrder])), [lister]);
  expect(first.map((l) => l.entries)).toEqual([[{ path: 'a', kind: 'file', size: 10 }], [{ path: 'b', kind: 'file', size: 20 }]]);
  const [again] = await analyzeImage(image, async () => (exports++, Readable.from([inOrder])), [lister]);
  expect([again, exports]).toEqual([first, 1]);

  // l1 known, and the export lists two/layer.tar first: the skip was a wrong guess, so a second pass reads all.
  const partly = new FileLister(new MemoryRecordCache());
  await analyzeImage({ id: 'x', diffIds: ['sha256:l1'] }, async () => Readable.from([await exportOf([['c.json', Buffer.from('{}')], ['one/layer.tar', l1], ['manifest.json', Buffer.from(JSON.stringify([{ Config: 'c.json', Layers: ['one/layer.tar'] }]))]])]), [partly]);
  const reordered = await exportOf([['c.json', Buffer.from('{}')], ['two/layer.tar', l2], ['one/layer.tar', l1], ['manifest.json', manifest]]);
  let passes = 0;
  const [fixed] = await analyzeImage(image, async () => (passes++, Readable.from([reordered])), [partly]);
  expect([fixed.map((l) => l.entries[0]!.path), passes]).toEqual([['a', 'b'], 2]);
});
