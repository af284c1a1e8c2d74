import { jest } from '@jest/globals';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineAnswers, FIXTURES, stagebench } from './cli-harness.js';
import { ensureFixtureBase } from './fixture-base.js';

jest.setTimeout(300_000);

const engine = await engineAnswers();
if (!engine && process.env.CI) throw new Error('CI=true but no Docker engine answers: the integration tests must run in CI (see .ci/run)');
if (!engine) console.warn('No Docker engine answers: the integration tests are SKIPPED. Start dockerd (see the README) to run them.');
const describeEngine = engine ? describe : describe.skip;

describeEngine('the size gate end to end: a baseline, ~10 MB more in the multi-stage image, then reverted', () => {
  beforeAll(() => ensureFixtureBase());

  test('run --baseline exits 1 naming the row in the terminal, Markdown and GitHub summary outputs; reverted, it exits 0', async () => {
    const work = mkdtempSync(join(tmpdir(), 'sb-gate-'));
    const scenarios = join(work, 'scenarios');
    cpSync(join(FIXTURES, 'scenarios'), scenarios, { recursive: true });
    const dockerfile = join(scenarios, 'hello', 'Dockerfile');
    const original = readFileSync(dockerfile, 'utf8');
    const baseline = join(work, 'baseline.json');
    // The gate's own rules (the repository's config names its own scenarios): the defaults, spelled out.
    const config = join(work, 'stagebench.config.json');
    writeFileSync(config, JSON.stringify({ gate: { growth: { size: { percent: '2%', min: '1 MB' } }, scenarios: { 'hello/scratch': { maxSize: '5 MB' } } } }));

    const first = await stagebench(['run', '--scenarios', scenarios]);
    expect(first.code).toBe(0);
    const update = await stagebench(['baseline', 'update', join(first.out, 'latest.json'), '--baseline', baseline]);
    expect(update.code).toBe(0);

    // 10 MB of random bytes: incompressible, so the pull size grows by as much as the size.
    appendFileSync(dockerfile, 'RUN head -c 10000000 /dev/urandom > /padding.bin\n');
    const summary = join(work, 'summary.md');
    writeFileSync(summary, '');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary };
    const report = join(work, 'gate.md');
    const bigger = await stagebench(['run', '--scenarios', scenarios, '--baseline', baseline, '--config', config, '--report', report, '--wide'], { env });
    expect(bigger.code).toBe(1);
    // Terminal: the failing row, with the growth, before the unchanged rows; and its annotation.
    expect(bigger.stdout).toMatch(/^fail +hello +multi +size +[\d.]+ MB +[\d.]+ MB +\+10\.0 MB \(\+\d+\.\d %\) +grew past both \+2 % and \+1\.00 MB/m);
    expect(bigger.stdout).toMatch(/^fail +hello +multi +pull size +/m);
    expect(bigger.stdout).toMatch(/^::error title=stagebench%3A hello\/multi size::hello\/multi size fail: /m);
    expect(bigger.stdout).toContain('FAIL: 2 failing rows');
    // The single and scratch variants stay within their rules (their sizes can differ by a few bytes between builds).
    expect(bigger.stdout).not.toMatch(/^fail +hello +(single|scratch) /m);
    expect(bigger.stdout).toMatch(/^pass +hello +scratch +size +.*within the cap of 5\.00 MB/m);
    for (const markdown of [readFileSync(report, 'utf8'), readFileSync(summary, 'utf8')]) {
      expect(markdown).toContain('### stagebench: FAIL');
      expect(markdown).toMatch(/\| fail \| hello \| multi \| size \| [\d.]+ MB \| [\d.]+ MB \| \+10\.0 MB \(\+\d+\.\d %\) \| grew past both \+2 % and \+1\.00 MB \|/);
    }

    writeFileSync(dockerfile, original);
    const reverted = await stagebench(['run', '--scenarios', scenarios, '--baseline', baseline, '--config', config, '--wide'], { env });
    expect(reverted.code).toBe(0);
    expect(reverted.stdout).toMatch(/PASS/);
    expect(reverted.stdout).toMatch(/^pass +hello +multi +size +/m);
    expect(reverted.stdout).not.toMatch(/^fail /m);
    // The summary now holds both reports, one after the other.
    expect(readFileSync(summary, 'utf8').match(/### stagebench: /g)).toHaveLength(2);
  });
});
