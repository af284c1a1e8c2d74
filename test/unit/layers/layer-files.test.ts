import { readLayerFiles } from '../../../harness/layers/layer-files.js';
import { parseApkInstalled, parseDpkgStatus, packageFileKind } from '../../../harness/layers/package-files.js';
import { chunked, layerTar } from './layer-tar.js';

const uvarint = (n: number) => {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
};
const str = (s: string) => Buffer.concat([uvarint(Buffer.byteLength(s)), Buffer.from(s)]);
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');

/** An ELF file holding Go 1.18+ build info (inline strings), after a decoy copy of the magic as the go command has. */
function goBinary(info: string, filler = 300): Buffer {
  const sentinel = Buffer.alloc(16, 0x30);
  const framed = Buffer.concat([sentinel, Buffer.from(info), sentinel]).toString('latin1');
  return Buffer.concat([
    Buffer.from('\x7fELF', 'latin1'),
    Buffer.alloc(filler, 1),
    MAGIC, Buffer.alloc(18, 0), // the decoy: pointer size 0
    Buffer.alloc(filler, 2),
    MAGIC, Buffer.from([8, 2]), Buffer.alloc(16, 0), str('go1.19.8'), uvarint(framed.length), Buffer.from(framed, 'latin1'),
    Buffer.alloc(filler, 3),
  ]);
}

const DPKG = `Package: libc6
Status: install ok installed
Version: 2.36-9
Description: GNU C Library
 continuation: not a field

Package: gone
Status: deinstall ok config-files
Version: 1.0

Package: nodejs
Status: install ok installed
Architecture: amd64
Version: 18.20.4+dfsg-1~deb12u1
`;

test('paths, sizes, whiteouts and opaque directories of a layer', async () => {
  const layer = await layerTar([
    { name: 'etc/', type: 'directory' },
    { name: './etc/big', size: 5_000_000 },
    { name: 'etc/.wh.old' },
    { name: '.wh.tmp' },
    { name: 'srv/', type: 'directory' },
    { name: 'srv/.wh..wh..opq' },
    { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    { name: 'bin/ln', type: 'link', linkname: 'bin/busybox' },
  ]);
  const files = await readLayerFiles(chunked(layer));
  expect(files.entries).toEqual([
    { path: 'etc', kind: 'dir', size: 0 },
    { path: 'etc/big', kind: 'file', size: 5_000_000 },
    { path: 'srv', kind: 'dir', size: 0 },
    { path: 'bin/sh', kind: 'symlink', size: 0 },
    { path: 'bin/ln', kind: 'hardlink', size: 0 },
  ]);
  expect(files.whiteouts).toEqual(['etc/old', 'tmp']);
  expect(files.opaque).toEqual(['srv']);
  expect(files.packages).toEqual([]);
});

test('package records: dpkg status, apk db, npm manifests, Go build info; gzipped layers too', async () => {
  const info = 'path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgolang.org/x/text\tv0.3.7\th1:a\ndep\tgithub.com/a/b\tv1.0.0\th1:b\n=>\tgithub.com/c/b\tv1.1.0\th1:c\n';
  const layer = await layerTar(
    [
      { name: 'var/lib/dpkg/status', content: DPKG },
      { name: 'lib/apk/db/installed', content: 'C:Q1x\nP:musl\nV:1.2.5-r0\n\nP:busybox\nV:1.36.1-r29\nA:x86_64\n' },
      { name: 'app/node_modules/express/package.json', content: '{"name":"express","version":"5.3.0"}' },
      { name: 'app/node_modules/@types/node/package.json', content: '{"name":"@types/node","version":"20.1.0"}' },
      { name: 'app/node_modules/express/lib/package.json', content: '{"name":"not-a-package","version":"1"}' },
      { name: 'app/node_modules/.package-lock.json', content: '{"name":"app","version":"1.0.0"}' },
      { name: 'app/package.json', content: '{"name":"app","version":"1.0.0"}' },
      { name: 'app/server', content: goBinary(info) },
      { name: 'app/not-elf', content: Buffer.concat([Buffer.from('#!/bin/sh\n'), goBinary(info)]) },
    ],
    true,
  );
  const files = await readLayerFiles(chunked(layer, 7));
  expect(files.packages).toEqual([
    { path: 'var/lib/dpkg/status', ecosystem: 'deb', items: ['libc6@2.36-9', 'nodejs@18.20.4+dfsg-1~deb12u1'] },
    { path: 'lib/apk/db/installed', ecosystem: 'apk', items: ['musl@1.2.5-r0', 'busybox@1.36.1-r29'] },
    { path: 'app/node_modules/express/package.json', ecosystem: 'npm', items: ['express@5.3.0'] },
    { path: 'app/node_modules/@types/node/package.json', ecosystem: 'npm', items: ['@types/node@20.1.0'] },
    { path: 'app/server', ecosystem: 'go', items: ['stdlib@go1.19.8', 'example.com/app@(devel)', 'golang.org/x/text@v0.3.7', 'github.com/c/b@v1.1.0'] },
  ]);
});

test.each([
  ['var/lib/dpkg/status', 'deb'],
  ['var/lib/dpkg/status.d/libc6', 'deb'],
  ['var/lib/dpkg/status-old', undefined],
  ['lib/apk/db/installed', 'apk'],
  ['node_modules/a/package.json', 'npm'],
  ['usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json', 'npm'],
  ['node_modules/a/test/package.json', undefined],
  ['node_modules/@scope/package.json', undefined],
  ['node_modules/.bin/package.json', undefined],
])('%s is a %s record', (path, kind) => expect(packageFileKind(path)).toBe(kind));

test('dpkg status.d files have no Status field; apk stanzas without a version are skipped', () => {
  expect(parseDpkgStatus('Package: base-files\nVersion: 12.4\n')).toEqual(['base-files@12.4']);
  expect(parseApkInstalled('P:half\n\nP:ok\nV:1\n')).toEqual(['ok@1']);
});
