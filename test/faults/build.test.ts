import { jest } from '@jest/globals';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFixtureBase, FROM, leftBehind, leftNothing, scenarios, stagebench } from './harness.js';

// Real builds and real processes: minutes, not jest's 5 s.
jest.setTimeout(180_000);

beforeAll(() => ensureFixtureBase());

describe('builds that go wrong', () => {
  test('failing steps of every kind: exit 3, the step and its message per variant, the good one measured', async () => {
    const dir = scenarios({
      bad: {
        'Dockerfile.single': `${FROM}\nRUN echo fine > /f\n`,
        Dockerfile: `${FROM}\nRUN echo about to fail; exit 7\n`,
        'Dockerfile.copy': `${FROM}\nCOPY missing.txt /\n`,
        'Dockerfile.instr': `${FROM}\nRUNN echo typo\n`,
        'Dockerfile.base': 'FROM stagebench-fault/no-such-base:1\n',
        // A frontend no registry serves (nothing listens on loopback port 9), as docker/dockerfile:1 offline.
        'Dockerfile.syntax': `# syntax=127.0.0.1:9/stagebench-fault/frontend:1\n${FROM}\n`,
      },
    });
    const res = await stagebench(['run', '--scenarios', dir, '--no-compressed']);
    expect(res.code).toBe(3);
    const v = Object.fromEntries(res.results()!.scenarios[0]!.variants.map((x) => [x.id, x]));
    expect(v.single!.status).toBe('ok');
    expect(v.multi!.error).toMatchObject({ exitCode: 7, logTail: ['about to fail'] });
    expect(v.copy!.error?.message).toMatch(/missing\.txt/);
    expect(v.instr!.error?.message).toMatch(/unknown instruction: RUNN/i);
    expect(v.base!.error?.message).toMatch(/base image "stagebench-fault\/no-such-base:1" is not on the engine and could not be pulled .*Pull or load it yourself/);
    expect(v.syntax!.error?.step).toBe('resolve image config for 127.0.0.1:9/stagebench-fault/frontend:1');
    expect(v.syntax!.error?.message).toMatch(/\nThe Dockerfile's "# syntax=" line makes BuildKit fetch the frontend 127\.0\.0\.1:9\/stagebench-fault\/frontend:1 from its registry\. Where none can be reached, remove that line .* or pass --builder classic\.$/);
    // The pull is timed from its own start and named, not counted from 0.
    expect(res.stderr).toMatch(/bad › base: pull of stagebench-fault\/no-such-base:1 ended after \d+\.\d s/);
    await leftNothing(res);
  });

  test('a smoke check that never passes: exit 3 after its timeout, the reason, the container removed', async () => {
    const dir = scenarios({ s: { 'Dockerfile.single': `${FROM}\n`, Dockerfile: `${FROM}\n`, 'scenario.json': JSON.stringify({ smoke: { command: ['sleep', '60'], timeoutMs: 1500 } }) } });
    const res = await stagebench(['run', '--scenarios', dir, '--no-compressed']);
    expect(res.code).toBe(3);
    expect(res.results()!.scenarios[0]!.variants.map((x) => x.smoke?.reason)).toEqual(['still running after 1500 ms', 'still running after 1500 ms']);
    expect(res.ms).toBeLessThan(60_000);
    await leftNothing(res);
  });

  test('a passing command smoke check does not keep the process alive afterwards', async () => {
    const dir = scenarios({ s: { 'Dockerfile.single': `${FROM}\n`, Dockerfile: `${FROM}\n`, 'scenario.json': JSON.stringify({ smoke: { command: ['true'], timeoutMs: 30000 } }) } });
    const res = await stagebench(['run', '--scenarios', dir, '--no-compressed']);
    expect(res.code).toBe(0);
    // Its 30 s timeout's timer used to outlive the check.
    expect(res.ms).toBeLessThan(25_000);
    await leftNothing(res);
  });

  test.each(['SIGINT', 'SIGTERM'] as const)('%s during a build: exit 130, results so far kept as interrupted, nothing left', async (name) => {
    const dir = scenarios({ slow: { 'Dockerfile.single': `${FROM}\nRUN echo quick > /q\n`, Dockerfile: `${FROM}\nRUN echo started; sleep 30\n` } });
    const res = await stagebench(['run', '--scenarios', dir, '--no-compressed'], { signal: { name, when: /\[2\/2\][^\n]*\n[\s\S]*RUN echo started/ } });
    expect(res.code).toBe(130);
    expect(res.afterSignalMs).toBeLessThan(15_000);
    const results = res.results()!;
    expect(results.run.status).toBe('interrupted');
    // single built but was never measured; multi's build was cancelled, which is no failure of its Dockerfile.
    expect(results.scenarios[0]!.variants.map((v) => [v.id, v.status, v.notMeasured, v.error?.message])).toEqual([
      ['single', 'failed', 'interrupted', 'not measured: the run was interrupted before it was measured'],
      ['multi', 'failed', 'interrupted', 'not measured: the run was interrupted and its build cancelled'],
    ]);
    expect(res.stderr).not.toMatch(/FAILED/);
    await leftNothing(res);
  });

  test.each(['SIGINT', 'SIGTERM'] as const)('%s during a smoke check: exit 130, no unchecked variant recorded as ok', async (name) => {
    const dir = scenarios({ s: { 'Dockerfile.single': `${FROM}\n`, Dockerfile: `${FROM}\n`, 'scenario.json': JSON.stringify({ smoke: { command: ['sleep', '30'], timeoutMs: 30000 } }) } });
    const res = await stagebench(['run', '--scenarios', dir, '--no-compressed'], { signal: { name, when: /smoke check/ } });
    expect(res.code).toBe(130);
    // At once, not after the check's 30 s timeout (a signal before its sleep began used to be missed).
    expect(res.afterSignalMs).toBeLessThan(10_000);
    const variants = res.results()!.scenarios[0]!.variants;
    expect(variants.map((v) => [v.id, v.status, v.notMeasured])).toEqual([
      ['single', 'failed', 'interrupted'],
      ['multi', 'failed', 'interrupted'],
    ]);
    expect(res.stderr).not.toMatch(/undefined ms|FAILED\s*$/m);
    await leftNothing(res);
  });

  test('host secrets: the process environment never reaches a build, its log or the results', async () => {
    const dir = scenarios({ env: { 'Dockerfile.single': `${FROM}\nRUN env; exit 1\n`, Dockerfile: `${FROM}\n` } });
    const res = await stagebench(['run', '--scenarios', dir, '--builder', 'classic', '--no-compressed'], { env: { STAGEBENCH_FAULT_SECRET: 'hunter2-do-not-leak' } });
    expect(res.code).toBe(3);
    expect(JSON.stringify(res.results())).not.toContain('hunter2');
    expect(res.stdout + res.stderr).not.toContain('hunter2');
    await leftNothing(res);
  });

  test('a symlink out of the context is sent as a link, never followed', async () => {
    const dir = scenarios({ link: { 'Dockerfile.single': `${FROM}\nCOPY . /c/\nRUN test -L /c/passwd && ! grep -q root /c/passwd\n`, Dockerfile: `${FROM}\n` } });
    symlinkSync('/etc/passwd', join(dir, 'link', 'passwd'));
    const res = await stagebench(['run', '--scenarios', dir, '--no-compressed', '--no-smoke']);
    expect(res.code).toBe(0);
    await leftNothing(res);
  });

  test('50 MB of build output on one line (classic): memory stays bounded', async () => {
    const dir = scenarios({ loud: { 'Dockerfile.single': `${FROM}\nRUN head -c 52428800 /dev/zero | tr '\\\\0' y\n`, Dockerfile: `${FROM}\n` } });
    const res = await stagebench(['run', '--scenarios', dir, '--builder', 'classic', '--no-compressed', '--no-smoke']);
    expect(res.code).toBe(0);
    // Before the capped line buffer: 1.0 GB and 31 s for this output.
    expect(res.peakRssKb).toBeGreaterThan(0);
    expect(res.peakRssKb).toBeLessThan(250 * 1024);
    await leftNothing(res);
  });

  test('--keep-images with --runs 3: one image per variant stays, tagged with the run id; clean <run id> removes it', async () => {
    const dir = scenarios({ keep: { 'Dockerfile.single': `${FROM}\nRUN echo k1 > /k\n`, Dockerfile: `${FROM}\nRUN echo k2 > /k\n` } });
    const res = await stagebench(['run', '--scenarios', dir, '--runs', '3', '--mode', 'cold,warm', '--keep-images', '--no-compressed']);
    expect(res.code).toBe(0);
    const results = res.results()!;
    const left = await leftBehind(results.run.id, res.imagesBefore);
    expect(left.containers).toEqual([]);
    const kept = results.scenarios[0]!.variants.map((v) => v.imageId!);
    const keptShort = kept.map((id) => id.replace('sha256:', '').slice(0, 12)).sort();
    // BuildKit: exactly the last image of each variant; classic parents would be untagged intermediates.
    expect([...new Set(left.images)].sort()).toEqual(keptShort);
    expect(results.scenarios[0]!.variants.map((v) => v.imageTag)).toEqual([`stagebench/keep:single-${results.run.id}`, `stagebench/keep:multi-${results.run.id}`]);
    const clean = await stagebench(['clean', results.run.id]);
    expect(clean.code).toBe(0);
    expect(await leftBehind(results.run.id, res.imagesBefore)).toEqual({ containers: [], images: [] });
  });
});
