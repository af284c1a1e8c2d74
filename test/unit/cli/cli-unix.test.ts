import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CliIo } from '../../../harness/cli/io.js';
import { FLAGS } from '../../../harness/cli/args.js';
import { run } from '../../../harness/cli/main.js';
import { createProgress } from '../../../harness/report/progress.js';

const REFERENCE = new URL('../../../docs/reference/results.json', import.meta.url).pathname;
const ESC = '\u001b[';

/** The CLI in a folder holding the lesson's reference run as results/latest.json. */
async function cli(argv: string[], opts: { env?: Record<string, string>; stdout?: Partial<CliIo['stdout']> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-cli-'));
  mkdirSync(join(dir, 'results'));
  copyFileSync(REFERENCE, join(dir, 'results/latest.json'));
  let stdout = '';
  let stderr = '';
  const code = await run({
    argv,
    env: opts.env ?? {},
    cwd: dir,
    stdout: { write: (t: string) => (stdout += t), ...opts.stdout },
    stderr: { write: (t: string) => (stderr += t) },
    onInterrupt: () => () => undefined,
  });
  return { code, stdout, stderr, dir };
}
const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('help', () => {
  test('each command has its own usage, flags and example', async () => {
    const texts = await Promise.all(['run', 'compare', 'chart'].map(async (c) => (await cli([c, '--help'])).stdout));
    expect(new Set(texts).size).toBe(3);
    const [runHelp, compareHelp, chartHelp] = texts as [string, string, string];
    expect(runHelp).toMatch(/^Usage: stagebench run \[flags\]\n/);
    expect(runHelp).toContain('--runs <n>');
    expect(runHelp).toContain('Example:\n  stagebench run --profile offline');
    expect(compareHelp).toMatch(/^Usage: stagebench compare \[<current.json>\] \[--baseline <file>\] \[flags\]\n/);
    expect(compareHelp).toContain('--allow-engine-mismatch');
    expect(compareHelp).not.toContain('--runs');
    expect(chartHelp).toMatch(/--out <path> +write the SVG to this file instead of stdout\n/);
    expect(chartHelp).not.toContain('--format');
  });

  test('every command has its help', async () => {
    for (const command of Object.keys(FLAGS)) expect((await cli([command, '--help'])).stdout).toMatch(new RegExp(`^Usage: stagebench ${command}`));
  });

  test('each command lists only the exit codes it can give, with what they mean for it', async () => {
    const codes = async (command: string) => [...(await cli([command, '--help'])).stdout.split('Exit codes:\n')[1]!.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]));
    expect((await cli(['init', '--help'])).stdout).toMatch(/\nExit codes:\n {2}0 {4}the config was written\n {2}2 {4}a bad flag, no Dockerfile, or a config here or above \(without --force\)\n {2}3 {4}the disk is full\n$/);
    expect(await codes('run')).toEqual([0, 1, 2, 3, 130, 141]);
    expect(await codes('compare')).toEqual([0, 1, 2, 3, 141]);
    expect(await codes('chart')).toEqual([0, 2, 3, 141]);
    expect(await codes('layers')).toEqual([0, 2, 141]);
    expect(await codes('clean')).toEqual([0, 2, 3, 130]);
    // The whole table stays in the global help.
    expect(await cli(['--help']).then((r) => r.stdout)).toContain('0    done; every variant built (and passed its smoke check)');
  });

  test('every help fits an 80-column terminal', async () => {
    const wide: string[] = [];
    for (const argv of [['--help'], ...Object.keys(FLAGS).map((c) => [c, '--help'])]) {
      for (const line of (await cli(argv)).stdout.split('\n')) if ([...line].length > 80) wide.push(`${argv.join(' ')}: ${line}`);
    }
    expect(wide).toEqual([]);
    expect((await cli(['--help'])).stdout).toContain('DOCKER_CONTEXT');
  });

  test('`help <command>` is `<command> --help`; `--help` wins over a bad flag; the global help lists the commands', async () => {
    expect((await cli(['help', 'steps'])).stdout).toBe((await cli(['steps', '--help'])).stdout);
    expect((await cli(['run', '--rusn', '--help'])).stdout).toMatch(/^Usage: stagebench run/);
    const global = (await cli(['--help'])).stdout;
    for (const c of ['run', 'report', 'layers', 'steps', 'claims', 'compare', 'baseline', 'merge', 'chart', 'clean']) expect(global).toMatch(new RegExp(`^  ${c} +\\S`, 'm'));
    expect(global).toContain('141  stdout was closed early');
  });
});

describe('flags', () => {
  test('an unknown flag: exit 2, the nearest known one suggested', async () => {
    const res = await cli(['run', '--rusn', '5']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('stagebench: run does not take --rusn: did you mean --runs?\n  fix: see `stagebench run --help`\n');
    expect((await cli(['reprot'])).stderr).toContain('unknown command "reprot": did you mean report?');
  });

  test('a file a command cannot write is a usage error (exit 2) whose fix names that command\'s own flag', async () => {
    const chart = await cli(['chart', '--out', '/proc/stagebench-no/chart.svg']);
    expect([chart.code, chart.stderr]).toEqual([2, 'stagebench: cannot write /proc/stagebench-no: the file system does not let a folder be made there (ENOENT)\n  fix: pass --out <file> in a folder you can write\n']);
    const baseline = await cli(['baseline', 'update', '--baseline', '/proc/stagebench-no/b.json']);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toContain('fix: pass --baseline <file> in a folder you can write');
  });

  test('--out is always where output goes: chart writes its SVG there', async () => {
    const res = await cli(['chart', '--out', 'chart.svg']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    expect(readFileSync(join(res.dir, 'chart.svg'), 'utf8')).toMatch(/^<svg/);
  });

  test('inputs are positional or --results, not --out', async () => {
    expect((await cli(['report', '--results', 'results/latest.json', '--format', 'json'])).code).toBe(0);
    const res = await cli(['report', '--out', 'results']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('report does not take --out: it writes nothing but stdout, and reads its results file as an argument or --results <file>');
  });
});

describe('streams and signals', () => {
  test('a closed stdout (EPIPE): quiet, exit 141', async () => {
    const closed = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const res = await cli(['report', '--format', 'json'], { stdout: { write: (t: string) => closed.write(t), on: (e: 'error', l: (err: NodeJS.ErrnoException) => void) => closed.on(e, l) } });
    expect(res.code).toBe(141);
    expect(res.stderr).toBe('');
  });

  test.each([
    ['a terminal', {}, [], true, true],
    ['not a terminal', {}, [], false, false],
    ['NO_COLOR=1 on a terminal', { NO_COLOR: '1' }, [], true, false],
    ['an empty NO_COLOR on a terminal (no-color.org: only a non-empty value counts)', { NO_COLOR: '' }, [], true, true],
    ['FORCE_COLOR=1 when not a terminal', { FORCE_COLOR: '1' }, [], false, true],
    ['FORCE_COLOR=0 on a terminal', { FORCE_COLOR: '0' }, [], true, false],
    ['FORCE_COLOR=1 beats NO_COLOR=1, as in Node.js', { FORCE_COLOR: '1', NO_COLOR: '1' }, [], false, true],
    ['--color never on a terminal', {}, ['--color', 'never'], true, false],
    ['--color always when not a terminal, despite NO_COLOR', { NO_COLOR: '1' }, ['--color', 'always'], false, true],
  ] as [string, Record<string, string>, string[], boolean, boolean][])('colour: %s', async (_what, env, flags, tty, coloured) => {
    const res = await cli(['report', ...flags], { env, stdout: tty ? { isTTY: true, columns: 120 } : {} });
    expect(res.code).toBe(0);
    expect(res.stdout.includes(ESC)).toBe(coloured);
  });

  test('JSON is never coloured', async () => {
    const res = await cli(['report', '--format', 'json', '--color', 'always']);
    expect(res.stdout).not.toContain(ESC);
    expect(JSON.parse(res.stdout)).toMatchObject({ schemaVersion: expect.any(Number) });
  });

  test('a scenario not in the results: exit 2, naming what there is', async () => {
    for (const command of ['layers', 'steps']) {
      const res = await cli([command, '--scenario', 'nope']);
      expect(res.code).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).toBe('stagebench: results/latest.json has no scenario "nope"\n  fix: it has go-app, node-app; pass one of those to --scenario\n');
    }
    // A slip gets the scenario it was likely meant as, as the flag or as packages' argument.
    expect((await cli(['layers', '--scenario', 'node'])).stderr).toBe(
      'stagebench: results/latest.json has no scenario "node"; did you mean node-app?\n  fix: pass --scenario node-app (it has go-app, node-app)\n',
    );
    expect((await cli(['packages', 'go-ap'])).stderr).toBe(
      'stagebench: results/latest.json has no scenario "go-ap"; did you mean go-app?\n  fix: pass go-app (it has go-app, node-app)\n',
    );
  });
});

describe('table width', () => {
  test('not a terminal: 100 columns; a terminal: its width; --wide: as wide as it needs', async () => {
    expect(widest((await cli(['report'])).stdout)).toBeLessThanOrEqual(100);
    const tty80 = (await cli(['report'], { stdout: { isTTY: true, columns: 80 } })).stdout;
    expect(widest(tty80.replace(/\u001b\[\d+m/g, ''))).toBeLessThanOrEqual(80);
    expect(tty80).toContain('Not shown at 80 columns');
    expect(widest((await cli(['report', '--wide'])).stdout)).toBeGreaterThan(160);
  });

  test('layers and steps fit too: long instructions and paths are cut with …, --wide shows them whole', async () => {
    for (const command of ['layers', 'steps']) {
      expect(widest((await cli([command])).stdout)).toBeLessThanOrEqual(100);
      const tty = (await cli([command, '--color', 'never'], { stdout: { isTTY: true, columns: 80 } })).stdout;
      expect(widest(tty)).toBeLessThanOrEqual(80);
      // One rule under each table's header, none between rows.
      expect(tty.split('\n').filter((l) => l.startsWith('─')).length).toBe(tty.split('\n').filter((l) => /^ *(Size|Step|Wasted) /.test(l)).length);
    }
    expect((await cli(['layers', '--scenario', 'node-app'], { stdout: { isTTY: true, columns: 80 } })).stdout).toMatch(/ this Dockerfile {2}RUN .*…$/m);
    expect(widest((await cli(['layers', '--wide'])).stdout)).toBeGreaterThan(100);
  });

  test('the progress line is cut to the terminal width, so a redraw never wraps', () => {
    let written = '';
    const progress = createProgress({ write: (t: string) => (written += t) }, true, () => 40);
    progress.variant('a-scenario-with-a-long-name', 'multi', 1, 3);
    progress.step('RUN npm ci --omit=dev && npm cache clean --force && rm -rf /tmp/*');
    progress.stop();
    const redraws = written.split('\r\u001b[K').filter(Boolean);
    expect(redraws.length).toBeGreaterThan(1);
    for (const line of redraws) expect([...line].length).toBeLessThanOrEqual(39);
    expect(redraws[1]).toMatch(/^\[1\/3\] a-scenario-with-a-long-name › multi \(0\.0 s\)|^\[1\/3\] a-scenario-with-a-long-name › mu…$/);
  });

  test('piped (a CI log), a variant measured after the others were built gets its own heading over its steps', () => {
    let written = '';
    const progress = createProgress({ write: (t: string) => (written += t) }, false);
    progress.variant('go-app', 'single', 1, 2);
    progress.variant('go-app', 'multi', 2, 2);
    progress.measuring('go-app', 'single');
    progress.step('compressing layers for the pull size');
    expect(written).toMatch(/^\[1\/2\] go-app › single\n\[2\/2\] go-app › multi\ngo-app › single\n {4}compressing layers for the pull size \(\+0\.0 s\)\n$/);
  });

  test('lines that stay (a failure, the engine) wrap between words at the terminal width; piped, they stay whole', () => {
    const text = 'bad › nobase: FAILED at FROM (base image): base image "stagebench-local/nope:1" is not on the engine and could not be pulled';
    let written = '';
    createProgress({ write: (t: string) => (written += t) }, true, () => 40).line(text);
    const lines = written.replace(/\r\u001b\[K/g, '').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(40);
    expect(lines.slice(1).every((l) => l.startsWith('    '))).toBe(true);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(text);
    let piped = '';
    createProgress({ write: (t: string) => (piped += t) }, false, () => 40).line(text);
    expect(piped).toBe(`${text}\n`);
  });
});
