import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../harness/cli/main.js';
import type { Results } from '../../../harness/results/schema.js';
import { results, variant } from '../results-fixture.js';

const MB = 1_000_000;

/** Runs the CLI in a scratch folder holding these files; returns what it printed and its exit code. */
/** `stagebench <argv>` in a scratch folder; `columns`: stderr is a terminal of that width, else a pipe. */
async function cli(argv: string[], files: Record<string, unknown>, env: Record<string, string> = {}, columns?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-gate-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  let stdout = '';
  let stderr = '';
  const code = await run({
    argv,
    env,
    cwd: dir,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), ...(columns ? { isTTY: true, columns } : {}) },
    onInterrupt: () => () => undefined,
  });
  return { code, stdout, stderr, dir, read: (name: string) => readFileSync(join(dir, name), 'utf8') };
}

const run1 = (multi: Partial<Parameters<typeof variant>[1]>, edit: (r: Results) => void = () => {}) => {
  const r = results([variant('single', { sizeBytes: 300 * MB }), variant('multi', { sizeBytes: 80 * MB, ...multi })]);
  edit(r);
  return r;
};

describe('stagebench compare', () => {
  test('within the rules: exit 0', async () => {
    const res = await cli(['compare', '--baseline', 'base.json', 'now.json'], { 'base.json': run1({}), 'now.json': run1({ sizeBytes: 80 * MB + 500 }) });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('PASS: all 2 rows within their rules; baseline of 2026-11-27T12:00:00.000Z, commit deadbeef');
  });

  test('+10 MB on multi: exit 1, the row named in the table, the --report file and an annotation', async () => {
    const res = await cli(['compare', '--baseline', 'base.json', 'now.json', '--report', 'gate.md'], { 'base.json': run1({}), 'now.json': run1({ sizeBytes: 90 * MB }) }, { GITHUB_ACTIONS: 'true' });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/\nfail {4}node-app {2}multi {4}size {5}80.0 MB {2}90.0 MB {2}\+10.0 MB \(\+12.5 %\) {2}\[1\]\n/);
    expect(res.stdout).toContain('\n[1] grew past both +2 % and +1.00 MB\n');
    expect(res.stdout.split('\n')[0]).toBe('::error title=stagebench%3A node-app/multi size::node-app/multi size fail: 80.0 MB → 90.0 MB (+10.0 MB (+12.5 %25)): grew past both +2 %25 and +1.00 MB');
    expect(res.read('gate.md')).toContain('| fail | node-app | multi | size | 80.0 MB | 90.0 MB | +10.0 MB (+12.5 %) |');
  });

  test('GITHUB_STEP_SUMMARY is appended to, not replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-summary-'));
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const res = await cli(['compare', '--baseline', 'base.json', 'now.json'], { 'base.json': run1({}), 'now.json': run1({ sizeBytes: 90 * MB }) }, { GITHUB_STEP_SUMMARY: summary });
    expect(res.code).toBe(1);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n### stagebench: FAIL')).toBe(true);
    expect(text).toContain('| fail | node-app | multi | size |');
    // Not in GitHub Actions: no workflow commands in the output.
    expect(res.stdout).not.toContain('::error');
  });

  test('--format json: the report as JSON on stdout, annotations on stderr', async () => {
    const res = await cli(['compare', '--baseline', 'base.json', 'now.json', '--format', 'json'], { 'base.json': run1({}), 'now.json': run1({ sizeBytes: 90 * MB }) }, { GITHUB_ACTIONS: 'true' });
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { verdict: string; rows: { variant: string; metric?: string; status: string; delta?: number }[]; methods: Record<string, string> };
    expect(report.verdict).toBe('fail');
    expect(Object.keys(report.methods)).toEqual(['values', 'growth', 'cap', 'startTime', 'buildTime', 'updateBytes', 'packages', 'contains']);
    expect(report.methods.values).toContain('sizeBytes (size), compressedBytes (pull size), layerCount (layers), buildMs (build time)');
    expect(report.rows.find((r) => r.variant === 'multi' && r.metric === 'size')).toMatchObject({ status: 'fail', delta: 10 * MB });
    expect(res.stderr).toContain('::error title=stagebench%3A node-app/multi size::');
  });

  test('results of a run that did not complete are refused: exit 3', async () => {
    const res = await cli(['compare', '--baseline', 'base.json', 'now.json'], { 'base.json': run1({}), 'now.json': run1({}, (r) => (r.run = { id: 'x', status: 'error', error: 'engine went away' })) });
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('the results to compare come from a run that is error (engine went away): not everything was measured');
  });

  test('a variant that failed to build: exit 3', async () => {
    const res = await cli(['compare', '--baseline', 'base.json', 'now.json'], { 'base.json': run1({}), 'now.json': run1({ status: 'failed', error: { message: 'boom', logTail: [] } }) });
    expect(res.code).toBe(3);
    expect(res.stdout).toContain('ERROR');
  });

  test('another patch release of the engine is compared, with a note', async () => {
    const res = await cli(['compare', '--baseline', 'base.json', 'now.json'], { 'base.json': run1({}, (r) => (r.engine.serverVersion = '20.10.21')), 'now.json': run1({}) });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('note: engine 20.10.21 ≠ 20.10.24 (same release, compared)');
  });

  test('a baseline from another engine is refused (exit 2) unless allowed', async () => {
    const other = run1({}, (r) => (r.engine.storageDriver = 'btrfs'));
    const files = { 'base.json': other, 'now.json': run1({}) };
    const refused = await cli(['compare', '--baseline', 'base.json', 'now.json'], files);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "stagebench: the baseline base.json was measured on another engine (storage driver: btrfs ≠ overlay2): its sizes are not comparable with this one's\n" +
        '  fix: refresh the baseline on this engine (stagebench baseline update), or pass --allow-engine-mismatch to compare anyway\n',
    );
    const allowed = await cli(['compare', '--baseline', 'base.json', 'now.json', '--allow-engine-mismatch'], files);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('note: compared across engines (--allow-engine-mismatch): storage driver: btrfs ≠ overlay2');
  });

  test('something new ships (a contains finding absent in the baseline): a warning by default, a failure with gate.contains "fail"', async () => {
    const ships = (present: boolean) => run1({ contains: { 'TypeScript compiler': { present, paths: present ? ['/app/node_modules/typescript'] : [] } } });
    const files = { 'base.json': ships(false), 'now.json': ships(true) };
    const warned = await cli(['compare', '--baseline', 'base.json', 'now.json', '--wide'], files, { GITHUB_ACTIONS: 'true' });
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/^warn +node-app +multi +ships TypeScript compiler +absent +present +— +now ships TypeScript compiler \(\/app\/node_modules\/typescript\), absent in the baseline$/m);
    expect(warned.stdout).toContain('::warning title=stagebench%3A node-app/multi ships TypeScript compiler::node-app/multi ships TypeScript compiler warn: ');
    expect(warned.stdout).toContain('PASS with warnings: 1 warning row');
    const failed = await cli(['compare', '--baseline', 'base.json', 'now.json', '--format', 'markdown'], { ...files, 'stagebench.config.json': { gate: { contains: 'fail' } } });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('| fail | node-app | multi | ships TypeScript compiler | absent | present | — | now ships TypeScript compiler (/app/node_modules/typescript), absent in the baseline |');
  });

  test('gate rules come from stagebench.config.json; a bad one exits 2 with every problem', async () => {
    const config = { gate: { scenarios: { 'node-app/multi': { maxSize: '85 MB' } } } };
    const capped = await cli(['compare', '--baseline', 'base.json', 'now.json'], { 'base.json': run1({}), 'now.json': run1({ sizeBytes: 86 * MB }), 'stagebench.config.json': config });
    expect(capped.code).toBe(1);
    expect(capped.stdout).toContain('over the cap: 86.0 MB > 85.0 MB');
    const bad = { gate: { growth: { size: { percent: 5 } }, scenarios: { 'node-app/multi': { maxSize: 'huge' } } } };
    const res = await cli(['compare', '--baseline', 'base.json', 'now.json'], { 'base.json': run1({}), 'now.json': run1({}), 'stagebench.config.json': bad });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('config file stagebench.config.json has 2 problems:');
    const typo = await cli(['compare', '--baseline', 'base.json', 'now.json'], { 'base.json': run1({}), 'now.json': run1({}), 'stagebench.config.json': { gate: { scenarios: { 'node-app/mutli': {} } } } });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('gate.scenarios names what is neither in the baseline nor in this run: node-app/mutli');
  });

  test('a misspelt key in stagebench.config.json: exit 2, and the key it was probably meant to be', async () => {
    const res = await cli(['compare', '--baseline', 'base.json', 'now.json'], { 'base.json': run1({}), 'now.json': run1({}), 'stagebench.config.json': { gate: { pakages: 'fail' } } });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('  - gate: Unrecognized key: "pakages" (did you mean "packages"?)');
  });

  test('no baseline file: exit 2 and how to make one', async () => {
    const res = await cli(['compare'], {});
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--baseline stagebench.baseline.json: no such file');
    expect(res.stderr).toContain('stagebench baseline update');
  });
});

describe('stagebench baseline update', () => {
  test('writes the baseline from a clean, complete run, only when asked', async () => {
    const res = await cli(['baseline', 'update', 'now.json'], { 'now.json': run1({}) });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.read('stagebench.baseline.json'))).toEqual(run1({}));
    // One line in a pipe, as errors are; on a terminal within its width (a real run id and commit make it longer).
    expect(res.stderr).toBe('wrote stagebench.baseline.json from run abc of 2026-11-27T12:00:00.000Z, commit deadbeef; commit it\n');
    const narrow = await cli(['baseline', 'update', 'now.json'], { 'now.json': run1({}) }, {}, 80);
    expect(narrow.stderr).toBe('wrote stagebench.baseline.json from run abc of 2026-11-27T12:00:00.000Z, commit\n  deadbeef; commit it\n');
  });

  test('a run from a working tree with uncommitted changes is accepted, with a note naming it', async () => {
    const dirty = await cli(['baseline', 'update', 'now.json'], { 'now.json': run1({}, (r) => (r.git = { commit: 'deadbeef', dirty: true })) });
    expect(dirty.code).toBe(0);
    expect(dirty.stderr).toContain(
      "note: run abc was measured from a working tree with uncommitted changes (git.dirty: true): the baseline's numbers may be of files commit deadbeef does not hold; commit them, run again and update the baseline if that matters\n",
    );
    const wide = await cli(['baseline', 'update', 'now.json'], { 'now.json': run1({}, (r) => (r.git = { commit: 'deadbeef', dirty: true })) }, {}, 120);
    expect(wide.stderr).toContain(
      "note: run abc was measured from a working tree with uncommitted changes (git.dirty: true): the baseline's numbers may be\n" +
        '  of files commit deadbeef does not hold; commit them, run again and update the baseline if that matters\n',
    );
    const clean = await cli(['baseline', 'update', 'now.json'], { 'now.json': run1({}) });
    expect(clean.stderr).not.toContain('uncommitted');
  });

  test('refuses a run with a failed variant or one that did not complete', async () => {
    const failed = await cli(['baseline', 'update', 'now.json'], { 'now.json': run1({ status: 'failed', error: { message: 'x', logTail: [] } }) });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('now.json cannot be the baseline: node-app/multi did not build or pass the smoke check');
    const shard = await cli(['baseline', 'update', 'now.json'], { 'now.json': run1({}, (r) => (r.selection = { available: ['node-app', 'x'], shard: { index: 1, count: 2 } })) });
    expect(shard.code).toBe(2);
    expect(shard.stderr).toContain('holds only shard 1/2');
    const interrupted = await cli(['baseline', 'update', 'now.json'], { 'now.json': run1({}, (r) => (r.run.status = 'interrupted')) });
    expect(interrupted.code).toBe(2);
    expect(interrupted.stderr).toContain('the run is interrupted');
  });
});

describe('stagebench merge', () => {
  const shard = (name: string, index: number) =>
    run1({}, (r) => {
      r.scenarios[0]!.name = name;
      r.selection = { available: ['a-app', 'b-app'], shard: { index, count: 2 } };
    });

  test('writes one results file and prints one table', async () => {
    const res = await cli(['merge', 'one.json', 'two.json', '--out', 'merged', '--format', 'markdown'], { 'one.json': shard('b-app', 1), 'two.json': shard('a-app', 2) });
    expect(res.code).toBe(0);
    const merged = JSON.parse(res.read('merged/latest.json')) as Results;
    expect(merged.scenarios.map((s) => s.name)).toEqual(['a-app', 'b-app']);
    expect(res.read('merged/latest.md')).toBe(res.stdout);
  });

  test('refuses mismatched inputs (exit 2) and other schema versions', async () => {
    const res = await cli(['merge', 'one.json', 'two.json'], { 'one.json': shard('a-app', 1), 'two.json': shard('a-app', 2) });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('scenario a-app is in both one.json and two.json');
    const future = { ...shard('b-app', 2), schemaVersion: 3 };
    const versions = await cli(['merge', 'one.json', 'two.json'], { 'one.json': shard('a-app', 1), 'two.json': future });
    expect(versions.code).toBe(2);
    expect(versions.stderr).toContain('has schemaVersion 3; this stagebench reads schemaVersion 1 and 2');
  });
});
