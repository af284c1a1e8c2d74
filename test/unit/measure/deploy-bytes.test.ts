import { deployLayers, downloadBytes, downloadMs, fetchedBlobs, parseAccessLine, type PushedManifest } from '../../../harness/measure/deploy-bytes.js';

const manifest: PushedManifest = {
  config: { digest: 'sha256:c', size: 1439 },
  layers: [
    { digest: 'sha256:l0', size: 1_064_716 },
    { digest: 'sha256:l1', size: 98 },
    { digest: 'sha256:l2', size: 884 },
  ],
};

test('layers are the base\'s when the image starts with all of the base\'s DiffIDs', () => {
  const layers = deployLayers(manifest, ['sha256:d0', 'sha256:d1', 'sha256:d2'], ['sha256:d0']);
  expect(layers.map((l) => [l.digest, l.bytes, l.inBase])).toEqual([
    ['sha256:l0', 1_064_716, true],
    ['sha256:l1', 98, false],
    ['sha256:l2', 884, false],
  ]);
  expect(downloadBytes(manifest, layers, true)).toBe(1439 + 98 + 884);
  expect(downloadBytes(manifest, layers, false)).toBe(1439 + 1_064_716 + 98 + 884);
});

test('a scratch image has no base layers; a base that is not the image\'s prefix counts for nothing', () => {
  expect(deployLayers(manifest, ['sha256:d0', 'sha256:d1', 'sha256:d2'], []).some((l) => l.inBase)).toBe(false);
  // The base has two layers and the image shares only the first: it was not built FROM this base.
  expect(deployLayers(manifest, ['sha256:d0', 'sha256:d1', 'sha256:d2'], ['sha256:d0', 'sha256:other']).some((l) => l.inBase)).toBe(false);
  expect(() => deployLayers(manifest, ['sha256:d0'], [])).toThrow('the pushed manifest lists 3 layers where the image has 1');
});

test('download time: bytes × 8 / bits per second, to the millisecond', () => {
  expect(downloadMs(12_500_000, 100_000_000)).toBe(1000); // 12.5 MB at 100 Mbit/s
  expect(downloadMs(2423, 100_000_000)).toBe(0); // 0.19 ms
  expect(downloadMs(1_067_137, 100_000_000)).toBe(85); // 85.37 ms
  expect(downloadMs(1_067_137, 8)).toBe(1_067_137_000);
  expect(downloadMs(0, 1)).toBe(0);
});

test('the access log: only GETs of this repository\'s blobs answered 200/206 were fetched, bytes summed per digest', () => {
  const lines = [
    '127.0.0.1 - - [30/Nov/2026:08:06:26 +0000] "GET /v2/ HTTP/1.1" 200 2 "" "docker/20.10.24"',
    '127.0.0.1 - - [30/Nov/2026:08:06:26 +0000] "GET /v2/stagebench/hello/manifests/single-x HTTP/1.1" 200 1149 "" "docker/20.10.24"',
    '127.0.0.1 - - [30/Nov/2026:08:06:26 +0000] "GET /v2/stagebench/hello/blobs/sha256:c HTTP/1.1" 200 1439 "" "docker/20.10.24"',
    '127.0.0.1 - - [30/Nov/2026:08:06:26 +0000] "HEAD /v2/stagebench/hello/blobs/sha256:l0 HTTP/1.1" 200 0 "" "docker/20.10.24"',
    '127.0.0.1 - - [30/Nov/2026:08:06:26 +0000] "GET /v2/stagebench/hello/blobs/sha256:l1 HTTP/1.1" 200 98 "" "docker/20.10.24"',
    '127.0.0.1 - - [30/Nov/2026:08:06:26 +0000] "GET /v2/stagebench/hello/blobs/sha256:l2 HTTP/1.1" 206 400 "" "docker/20.10.24"',
    '127.0.0.1 - - [30/Nov/2026:08:06:26 +0000] "GET /v2/stagebench/hello/blobs/sha256:l2 HTTP/1.1" 206 484 "" "docker/20.10.24"',
    '127.0.0.1 - - [30/Nov/2026:08:06:26 +0000] "GET /v2/stagebench/hello/blobs/sha256:gone HTTP/1.1" 404 157 "" "docker/20.10.24"',
    '127.0.0.1 - - [30/Nov/2026:08:06:26 +0000] "GET /v2/stagebench/other/blobs/sha256:l0 HTTP/1.1" 200 1064716 "" "docker/20.10.24"',
    'time="2026-11-30T08:06:25Z" level=error msg="response completed with error"',
  ];
  const parsed = lines.map(parseAccessLine);
  expect(parsed[0]).toEqual({ method: 'GET', path: '/v2/', status: 200, bytes: 2 });
  expect(parsed[9]).toBeUndefined();
  const fetched = fetchedBlobs(parsed.filter((l) => l !== undefined), 'stagebench/hello');
  expect([...fetched]).toEqual(['sha256:c', 'sha256:l1', 'sha256:l2']);
});
