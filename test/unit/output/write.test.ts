import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OutputError, UsageError } from '../../../harness/errors.js';
import { markUnfinished, writeResults } from '../../../harness/output/publish.js';
import { ensureWritableDir, writeAtomic, writeProblem } from '../../../harness/output/write.js';
import { readResults } from '../../../harness/results/io.js';
import { results, variant } from '../results-fixture.js';

test('a folder under /proc: refused at once, naming it (Node\'s recursive mkdir spins there forever)', async () => {
  const t0 = performance.now();
  await expect(writeAtomic('/proc/stagebench-fault/a/latest.json', '{}')).rejects.toThrow('cannot write /proc/stagebench-fault/a: the file system does not let a folder be made there (ENOENT)');
  await expect(ensureWritableDir('/proc/stagebench-fault', '--out /proc/stagebench-fault')).rejects.toBeInstanceOf(UsageError);
  expect(performance.now() - t0).toBeLessThan(2000);
});

test.each([
  ['ENOSPC', 'cannot write /out/latest.json: the disk is full (ENOSPC)', 'free space on the disk that holds /out, or pass --out <dir> on another disk'],
  ['EROFS', 'cannot write /out/latest.json: the file system is read-only (EROFS)', 'pass --out <dir> with a folder you can write'],
  ['EACCES', 'cannot write /out/latest.json: permission denied (EACCES)', 'pass --out <dir> with a folder you can write'],
])('%s: the path, the problem and the fix', (code, message, hint) => {
  const err = writeProblem('/out/latest.json', Object.assign(new Error('raw'), { code }));
  expect([err.message, err.hint]).toEqual([message, hint]);
});

test.each([
  ['EACCES', '--out <file>', UsageError, 'pass --out <file> in a folder you can write'],
  ['ENOTDIR', '--baseline <file>', UsageError, 'pass --baseline <file> in a folder you can write'],
  ['ENOSPC', '--out <file>', OutputError, 'free space on the disk that holds /out, or pass --out <file> on another disk'],
] as const)('%s writing a file the user named with %s: the fix names that flag', (code, flag, kind, hint) => {
  const err = writeProblem('/out/chart.svg', Object.assign(new Error('raw'), { code }), flag);
  expect(err).toBeInstanceOf(kind);
  expect(err.hint).toBe(hint);
});

test('a failed write leaves no temporary file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-write-'));
  // A folder where the file should go: the rename fails after the temporary file was written.
  await writeAtomic(join(dir, 'x', 'keep'), 'k');
  await expect(writeAtomic(join(dir, 'x'), 'content')).rejects.toBeInstanceOf(OutputError);
  expect(readdirSync(dir)).toEqual(['x']);
});

test('a run whose results cannot be saved any more is marked unfinished in place, same size, still valid', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-unfinished-'));
  const running = results([variant('single'), variant('multi')]);
  running.run = { id: 'abc-1', status: 'running' };
  const latest = await writeResults(dir, running);
  const size = statSync(latest).size;
  const marked = await markUnfinished(dir, running, writeProblem(latest, Object.assign(new Error('raw'), { code: 'ENOSPC' })));
  expect(marked).toHaveLength(2);
  expect(statSync(latest).size).toBe(size);
  const read = await readResults(latest);
  expect(read.run).toEqual({ id: 'abc-1', status: 'error', error: `unfinished: the results could not be saved (cannot write ${latest}: the disk is full (ENOSPC))` });
  expect(read.scenarios).toEqual(running.scenarios);
  // A second failure finds it marked already.
  expect(await markUnfinished(dir, running, new Error('again'))).toHaveLength(2);
  expect(JSON.parse(readFileSync(latest, 'utf8')).run.error).toMatch(/ENOSPC/);
});
