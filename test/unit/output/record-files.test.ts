import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheHome, DiskRecordCache } from '../../../harness/output/record-files.js';

const dir = () => join(mkdtempSync(join(tmpdir(), 'sb-layer-cache-')), 'layers');

test('the cache folder follows XDG_CACHE_HOME, else ~/.cache; a relative XDG_CACHE_HOME is ignored', () => {
  expect(cacheHome({ XDG_CACHE_HOME: '/c', HOME: '/h' })).toBe('/c/stagebench');
  expect(cacheHome({ HOME: '/h' })).toBe('/h/.cache/stagebench');
  expect(cacheHome({ XDG_CACHE_HOME: 'rel', HOME: '/h' })).toBe('/h/.cache/stagebench');
  expect(cacheHome({})).toBeUndefined();
});

test('records outlive the process (a new instance reads them); no temporary file is left', async () => {
  const d = dir();
  await new DiskRecordCache(d).set('k', 'sha256:a', { n: 1 });
  expect(await new DiskRecordCache(d).get('k', 'sha256:a')).toEqual({ n: 1 });
  expect(await new DiskRecordCache(d).get('other-kind', 'sha256:a')).toBeUndefined();
  expect(readdirSync(d).filter((n) => n.endsWith('.tmp'))).toEqual([]);
});

test('concurrent writers of the same records leave whole records', async () => {
  const d = dir();
  const writers = Array.from({ length: 4 }, () => new DiskRecordCache(d));
  await Promise.all(writers.flatMap((w) => Array.from({ length: 25 }, (_, i) => w.set('k', `d${i}`, { i, pad: 'x'.repeat(5000) }))));
  const reader = new DiskRecordCache(d);
  for (let i = 0; i < 25; i++) expect(await reader.get('k', `d${i}`)).toEqual({ i, pad: 'x'.repeat(5000) });
  expect(readdirSync(d)).toHaveLength(25);
});

test('a damaged record is a miss', async () => {
  const d = dir();
  await new DiskRecordCache(d).set('k', 'a', 1);
  const [file] = readdirSync(d);
  writeFileSync(join(d, file!), '{"kind":"k","key":"a","val');
  expect(await new DiskRecordCache(d).get('k', 'a')).toBeUndefined();
});

test('prune keeps the most recently used records within the bound', async () => {
  const d = dir();
  const cache = new DiskRecordCache(d, 3);
  const keys = ['a', 'b', 'c', 'd', 'e'];
  for (const [i, key] of keys.entries()) await cache.set('k', key, i);
  // Ages a (oldest) to e, then a is read by another run: it becomes the most recently used.
  const file = (key: string) => join(d, `${createHash('sha256').update(`k\0${key}`).digest('hex')}.json`);
  const t = Date.now() / 1000 - 1000;
  keys.forEach((key, i) => utimesSync(file(key), t + i, t + i));
  expect(await new DiskRecordCache(d, 3).get('k', 'a')).toBe(0);
  await new DiskRecordCache(d, 3).prune();
  const fresh = new DiskRecordCache(d, 3);
  expect(await Promise.all(keys.map((k) => fresh.get('k', k)))).toEqual([0, undefined, undefined, 3, 4]);
});

test('a cache that cannot be written is reported once and costs nothing else', async () => {
  const notAFolder = join(mkdtempSync(join(tmpdir(), 'sb-layer-cache-')), 'file');
  writeFileSync(notAFolder, '');
  const problems: string[] = [];
  const cache = new DiskRecordCache(join(notAFolder, 'layers'), 10, (m) => problems.push(m));
  await cache.set('k', 'a', 1);
  await cache.set('k', 'b', 2);
  expect(await cache.get('k', 'a')).toBe(1);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/cannot be written/);
});
