import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeOrphanStorage } from '../../../harness/measure/registry.js';

// A run killed outright leaves its registry's storage folder; the next registry to start removes it.

test('removes the storage folders whose stagebench process is gone, and nothing else', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-registry-storage-'));
  for (const name of ['stagebench-registry-111-aB3dEf', 'stagebench-registry-222-Gh4iJk', 'stagebench-registry-Lm5nOp', 'stagebench-run-111-x', 'other']) {
    mkdirSync(join(dir, name, 'data'), { recursive: true });
  }
  const removed = await removeOrphanStorage(dir, (pid) => pid === 222);
  expect(removed).toEqual(['stagebench-registry-111-aB3dEf']);
  // 222 is alive (a run in flight); a folder not named for a pid is not known to be a gone process's.
  expect(readdirSync(dir).sort()).toEqual(['other', 'stagebench-registry-222-Gh4iJk', 'stagebench-registry-Lm5nOp', 'stagebench-run-111-x']);
});

test('this process\'s own folder stays (its pid is alive); a missing temp dir is nothing to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-registry-storage-'));
  mkdirSync(join(dir, `stagebench-registry-${process.pid}-aB3dEf`));
  expect(await removeOrphanStorage(dir)).toEqual([]);
  expect(readdirSync(dir)).toEqual([`stagebench-registry-${process.pid}-aB3dEf`]);
  expect(await removeOrphanStorage(join(dir, 'missing'))).toEqual([]);
});
