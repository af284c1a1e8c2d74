import { type LayerFiles, readLayerFiles } from '../../../harness/layers/layer-files.js';
import { stackLayers } from '../../../harness/layers/stack.js';
import { type Entry, chunked, layerTar } from './layer-tar.js';

const read = (layers: Entry[][]) => Promise.all(layers.map(async (l) => readLayerFiles(chunked(await layerTar(l)))));
const base: Entry[] = [{ name: 'bin/', type: 'directory' }, { name: 'bin/busybox', size: 1_000_000 }, { name: 'bin/sh', type: 'symlink', linkname: 'busybox' }];

test('a 5 MB file written then deleted: 5,000,000 wasted bytes, held by the layer that wrote it', async () => {
  const s = stackLayers(await read([base, [{ name: 'big', size: 5_000_000 }], [{ name: '.wh.big' }]]));
  expect(s.wastedBytes).toBe(5_000_000);
  expect(s.layerWastedBytes).toEqual([0, 5_000_000, 0]);
  expect(s.wastedPaths).toEqual([{ path: '/big', bytes: 5_000_000, layer: 1 }]);
  // dive: /big occurs as 5 MB and as a deletion (0): min 0 of 5 MB; busybox 1 MB of 1 MB.
  expect(s.efficiency).toBe(1_000_000 / 6_000_000);
});

test('a file overwritten twice: the two hidden versions are waste, the visible one is not', async () => {
  const s = stackLayers(await read([base, [{ name: 'etc/app.conf', size: 3000 }], [{ name: 'etc/app.conf', size: 2000 }], [{ name: 'etc/app.conf', size: 1000 }]]));
  expect(s.wastedBytes).toBe(5000);
  expect(s.layerWastedBytes).toEqual([0, 3000, 2000, 0]);
  expect(s.wastedPaths.map((p) => p.bytes)).toEqual([3000, 2000]);
  // dive: smallest version 1000 of 6000 stored, plus busybox.
  expect(s.efficiency).toBe(1_001_000 / 1_006_000);
});

test('an opaque directory hides everything the layers below put in it, not its own layer\'s files', async () => {
  const s = stackLayers(
    await read([
      base,
      [{ name: 'srv/', type: 'directory' }, { name: 'srv/a', size: 100 }, { name: 'srv/sub/b', size: 200 }],
      [{ name: 'srv/', type: 'directory' }, { name: 'srv/.wh..wh..opq' }, { name: 'srv/c', size: 50 }],
    ]),
  );
  expect(s.wastedBytes).toBe(300);
  expect(s.layerWastedBytes).toEqual([0, 300, 0]);
  expect(s.wastedPaths).toEqual([{ path: '/srv/sub/b', bytes: 200, layer: 1 }, { path: '/srv/a', bytes: 100, layer: 1 }]);
  expect(s.efficiency).toBe(1_000_050 / 1_000_350);
});

test('a deleted directory, a file replacing a directory, and a directory over a directory', async () => {
  const s = stackLayers(
    await read([
      [{ name: 'a/x', size: 10 }, { name: 'b/y', size: 20 }, { name: 'c/z', size: 40 }],
      [{ name: '.wh.a' }, { name: 'b', size: 5 }, { name: 'c/', type: 'directory' }],
    ]),
  );
  expect(s.wastedBytes).toBe(30);
  expect(s.efficiency).toBe(45 / 75);
});

const pkg = (name: string, version: string) => ({ path: `app/node_modules/${name}/package.json`, ecosystem: 'npm' as const, items: [`${name}@${version}`] });
const layer = (entries: string[], packages: LayerFiles['packages'], whiteouts: string[] = []): LayerFiles => ({
  entries: entries.map((path) => ({ path, kind: 'file', size: 1 })),
  whiteouts,
  opaque: [],
  packages,
});

test('packages: only records visible in the final image, deduplicated by name@version', () => {
  const s = stackLayers([
    layer(['app/node_modules/typescript/package.json', 'app/node_modules/a/package.json', 'var/lib/dpkg/status'], [
      pkg('typescript', '5.9.3'),
      pkg('a', '1.0.0'),
      { path: 'var/lib/dpkg/status', ecosystem: 'deb', items: ['libc6@2.36', 'curl@7'] },
    ]),
    layer(['app/node_modules/b/node_modules/a/package.json', 'var/lib/dpkg/status'], [
      { path: 'app/node_modules/b/node_modules/a/package.json', ecosystem: 'npm', items: ['a@1.0.0'] },
      { path: 'var/lib/dpkg/status', ecosystem: 'deb', items: ['libc6@2.36'] },
    ], ['app/node_modules/typescript']),
  ]);
  expect(s.packages).toEqual({ deb: ['libc6@2.36'], npm: ['a@1.0.0'], go: [], apk: [] });
});

test('an image without files wastes nothing and scores 1', () => {
  expect(stackLayers([]).efficiency).toBe(1);
  expect(stackLayers([]).wastedBytes).toBe(0);
});
