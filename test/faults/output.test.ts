import { jest } from '@jest/globals';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureFixtureBase, FROM, leftBehind, leftNothing, scenarios, stagebench } from './harness.js';

// Real builds and real processes: minutes, not jest's 5 s.
jest.setTimeout(180_000);

const ONE = scenarios({ app: { 'Dockerfile.single': `${FROM}\nRUN echo single > /s\n`, Dockerfile: `${FROM}\nRUN echo multi > /m\n` } });
const TWO = scenarios({
  a: { 'Dockerfile.single': `${FROM}\nRUN echo a1 > /a\n`, Dockerfile: `${FROM}\nRUN echo a2 > /a\n` },
  b: { 'Dockerfile.single': `${FROM}\nRUN echo b1 > /b\n`, Dockerfile: `${FROM}\nRUN echo b2 > /b\n` },
});

// Full and read-only disks are small tmpfs mounts: root only, which CI is.
const root = process.getuid?.() === 0;
const mounts: string[] = [];
async function tmpfs(options: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-fault-fs-'));
  await execa('mount', ['-t', 'tmpfs', '-o', options, 'stagebench-fault', dir]);
  mounts.push(dir);
  // The fillers below write a bounded amount, and only into a folder that really is the small tmpfs.
  if (!readFileSync('/proc/mounts', 'utf8').includes(` ${dir} tmpfs `)) throw new Error(`${dir} is not a tmpfs mount`);
  return dir;
}
afterAll(async () => {
  for (const dir of mounts) await execa('umount', [dir], { reject: false });
});

beforeAll(() => ensureFixtureBase());

describe('where the results go', () => {
  test('--out under /proc: exit 2 at once naming the folder (Node\'s recursive mkdir used to spin there)', async () => {
    const res = await stagebench(['run', '--scenarios', ONE, '--out', '/proc/stagebench-fault/out']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--out /proc/stagebench-fault/out: cannot write there');
    expect(res.stderr).toContain('fix: pass --out <dir> with a folder you can write');
    expect(res.ms).toBeLessThan(10_000);
  });

  test('a file the user named that cannot be written: exit 2, the fix names that command\'s flag, nothing left over', async () => {
    const ok = await stagebench(['run', '--scenarios', ONE, '--no-smoke', '--no-compressed']);
    expect(ok.code).toBe(0);
    const latest = join(ok.out, 'latest.json');
    const chart = await stagebench(['chart', latest, '--out', '/proc/stagebench-fault/chart.svg']);
    expect(chart.code).toBe(2);
    expect(chart.stderr).toContain('fix: pass --out <file> in a folder you can write');
    const baseline = await stagebench(['baseline', 'update', latest, '--baseline', '/proc/stagebench-fault/b.json']);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toContain('fix: pass --baseline <file> in a folder you can write');
    await leftNothing(ok);
  });

  (root || process.env.CI ? test : test.skip)('a read-only --out: exit 2 before anything is built', async () => {
    const ro = await tmpfs('ro,size=1m');
    const res = await stagebench(['run', '--scenarios', ONE, '--out', join(ro, 'out')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('cannot write there (the file system is read-only, EROFS)');
  });

  (root || process.env.CI ? test : test.skip)('a full disk: exit 3 naming the file and the fix, no temporary files, nothing left on the engine', async () => {
    const full = await tmpfs('size=64k');
    writeFileSync(join(full, 'filler'), Buffer.alloc(64 * 1024 - 4096));
    await execa('sh', ['-c', `head -c 1M /dev/zero > ${join(full, 'rest')} 2>/dev/null || true`]);
    const res = await stagebench(['run', '--scenarios', ONE, '--no-smoke', '--no-compressed', '--out', join(full, 'out')]);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/stagebench: cannot write \S+: the disk is full \(ENOSPC\)/);
    expect(res.stderr).toMatch(/fix: free space on the disk that holds \S+, or pass --out <dir> on another disk/);
    expect(res.stderr).not.toContain('unexpected error');
    await leftNothing(res);
  });

  (root || process.env.CI ? test : test.skip)('a disk that fills mid-run: the results so far stay, marked unfinished, not "running" forever', async () => {
    const disk = await tmpfs('size=1m');
    const res = await stagebench(['run', '--scenarios', TWO, '--no-smoke', '--no-compressed', '--out', join(disk, 'out')], {
      // The first scenario's results are saved; then the disk fills up.
      onStderr: (text) => {
        if (/\[3\/4\]/.test(text) && !mounts.includes('filled')) {
          mounts.push('filled');
          void execa('sh', ['-c', `head -c 2M /dev/zero > ${join(disk, 'filler')} 2>/dev/null || true`]);
        }
      },
    });
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/the disk is full \(ENOSPC\)/);
    const latest = JSON.parse(readFileSync(join(disk, 'out', 'latest.json'), 'utf8'));
    expect(latest.run.status).toBe('error');
    expect(latest.run.error).toMatch(/^unfinished: the results could not be saved \(cannot write .*ENOSPC/);
    expect(latest.scenarios.map((s: { name: string }) => s.name)).toEqual(['a']);
    await leftNothing(res);
    expect(await leftBehind(latest.run.id, res.imagesBefore)).toEqual({ containers: [], images: [] });
  });
});
