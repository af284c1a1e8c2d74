import { mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../../../harness/cli/main.js';
import { EngineUnreachableError } from '../../../harness/errors.js';
import { RUN_LABEL } from '../../../harness/measure/labels.js';
import type { Results } from '../../../harness/results/schema.js';
import { fakeEngine, type FakeEngine, type FakeEngineOptions } from './fake-engine.js';

// The whole CLI, `stagebench run`, through the injected IO and a fake engine: what it prints, what it writes
// and how it exits, without a daemon (the integration tests build the same fixtures for real).

// main.ts imports each command's modules when the command runs: load them before the first timed test, so
// that compiling them (ts-jest) on a busy machine is not charged to whichever test comes first.
beforeAll(async () => {
  // One at a time: jest's ESM loader can lose a module that two concurrent imports share.
  await import('../../../harness/cli/run-command.js');
  await import('../../../harness/cli/gate-commands.js');
  await import('../../../harness/cli/output.js');
}, 60_000);

const SCENARIOS = new URL('../../fixtures/scenarios', import.meta.url).pathname;
const MB = 1_000_000;

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
  engine: FakeEngine;
  read(name: string): string;
  results(name?: string): Results;
}

/** `stagebench <argv>` in a scratch folder holding `files`, on a fake engine; the interrupt handler is handed to the engine's options. */
async function stagebench(argv: string[], opts: { engine?: FakeEngineOptions; files?: Record<string, string>; interruptAtBuild?: number; dir?: string; stderrClosed?: boolean; env?: Record<string, string>; stderrColumns?: number } = {}): Promise<Cli> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'sb-run-cli-'));
  for (const [name, content] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), content);
  let interrupt = () => {};
  const engine = fakeEngine({
    ...opts.engine,
    duringBuild: (req) => {
      if (engine.builds.length === opts.interruptAtBuild) interrupt();
      return opts.engine?.duringBuild?.(req);
    },
  });
  let stdout = '';
  let stderr = '';
  const code = await run({
    argv,
    env: opts.env ?? {},
    cwd: dir,
    stdout: { write: (t: string) => (stdout += t) },
    // stderrColumns: a terminal of that width (errors wrap there); without it, a pipe.
    stderr: opts.stderrClosed ? closedPipe() : { write: (t: string) => (stderr += t), ...(opts.stderrColumns ? { isTTY: true, columns: opts.stderrColumns } : {}) },
    onInterrupt: (handler) => {
      interrupt = handler;
      return () => (interrupt = () => {});
    },
    engine,
  });
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return { code, stdout, stderr, engine, read, results: (name = 'out/latest.json') => JSON.parse(read(name)) as Results };
}

const RUN = ['run', '--scenarios', SCENARIOS, '--no-smoke', '--out', 'out'];

/** A stream whose reader has gone (`… | head`): every write fails with EPIPE, reported as an 'error' event. */
function closedPipe() {
  const pipe = new Writable({
    write(_chunk, _encoding, done) {
      done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  });
  return { write: (t: string) => pipe.write(t), on: (e: 'error', l: (err: NodeJS.ErrnoException) => void) => pipe.on(e, l) };
}
const sizes = (r: Results) => r.scenarios.flatMap((s) => s.variants.map((v) => [v.id, v.status, v.sizeBytes]));

test('exit 0: every variant built; results JSON, its Markdown and the run file written; the table on stdout', async () => {
  const res = await stagebench(RUN);
  expect(res.code).toBe(0);
  const results = res.results();
  expect(results.run.status).toBe('complete');
  expect(sizes(results)).toEqual([
    ['single', 'ok', 300 * MB],
    ['multi', 'ok', 80 * MB],
    ['scratch', 'ok', 5 * MB],
  ]);
  expect(res.engine.builds.map((b) => [b.dockerfile, b.tag, b.builder, b.noCache])).toEqual([
    // Tags are per run, so two runs at once never move each other's.
    ['Dockerfile.single', `stagebench/hello:single-${results.run.id}`, 'buildkit', false],
    ['Dockerfile', `stagebench/hello:multi-${results.run.id}`, 'buildkit', false],
    ['Dockerfile.scratch', `stagebench/hello:scratch-${results.run.id}`, 'buildkit', false],
  ]);
  expect(res.read('out/latest.md')).toContain('| hello | multi | ok |');
  expect(res.stdout).toMatch(/hello\s.*single/s);
  expect(res.stdout).toContain('300 MB');
  expect(res.stdout).toContain('80.0 MB');
  expect(res.stderr).toContain('results: out/latest.json and out/latest.md\n');
  // One clean-up: this run's images and tags, and what carries its run label.
  const made = { containers: [], images: ['sha256:Dockerfile.single', 'sha256:Dockerfile', 'sha256:Dockerfile.scratch'], tags: ['single', 'multi', 'scratch'].map((v) => `stagebench/hello:${v}-${results.run.id}`) };
  expect(res.engine.cleanups).toEqual([{ made, before: new Set(), label: [RUN_LABEL, results.run.id] }]);
});

test('--keep-images: the run says which images it kept and how to remove them, naming its run id', async () => {
  const res = await stagebench([...RUN, '--keep-images']);
  expect(res.code).toBe(0);
  const id = res.results().run.id;
  expect(res.stderr).toContain(`results: out/latest.json and out/latest.md\nkept 3 image(s), tagged stagebench/<scenario>:<variant>-${id}; \`stagebench clean ${id}\` removes them\n`);
  expect((await stagebench(RUN)).stderr).not.toContain('kept');
});

test('the run file under out/runs/ is the same document as latest.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-run-cli-'));
  const res = await stagebench(RUN, { dir });
  const files = readdirSync(join(dir, 'out/runs'));
  expect(files).toHaveLength(1);
  expect(res.read(`out/runs/${files[0]}`)).toBe(res.read('out/latest.json'));
  expect(readdirSync(join(dir, 'out')).sort()).toEqual(['latest.json', 'latest.md', 'runs']);
});

test('exit 3: a variant that fails to build is a value in the results, and the others still build', async () => {
  const failure = { step: 'RUN make', message: 'exit code 2', exitCode: 2, logTail: ['make: *** no rule'] };
  const res = await stagebench(RUN, { engine: { failBuild: { Dockerfile: failure } } });
  expect(res.code).toBe(3);
  expect(sizes(res.results())).toEqual([
    ['single', 'ok', 300 * MB],
    ['multi', 'failed', undefined],
    ['scratch', 'ok', 5 * MB],
  ]);
  expect(res.results().scenarios[0]!.variants[1]!.error).toEqual(failure);
  expect(res.stderr).toContain('hello › multi: FAILED at RUN make: exit code 2');
  expect(res.stdout).toContain('make: *** no rule');
});

test('exit 3: an engine that cannot be reached; nothing built, nothing written, the error as JSON when JSON was asked for', async () => {
  const res = await stagebench([...RUN, '--format', 'json'], { engine: { facts: new EngineUnreachableError('cannot reach the Docker engine at unix:///nowhere (ENOENT)', 'start dockerd') } });
  expect(res.code).toBe(3);
  expect(res.engine.builds).toEqual([]);
  expect(() => res.read('out/latest.json')).toThrow(/ENOENT/);
  expect(JSON.parse(res.stdout)).toEqual({ error: { message: 'cannot reach the Docker engine at unix:///nowhere (ENOENT)', hint: 'start dockerd', exitCode: 3 } });
});

/** A baseline like this run's, with multi at `multiBytes`, on the engine given. */
async function baseline(multiBytes: number, edit: (r: Results) => void = () => {}): Promise<string> {
  const first = await stagebench(RUN);
  const base = first.results();
  base.scenarios[0]!.variants[1]!.sizeBytes = multiBytes;
  edit(base);
  return JSON.stringify(base);
}

test('exit 1: --baseline with a regression; the table, the gate report and the --report file', async () => {
  const res = await stagebench([...RUN, '--baseline', 'base.json', '--report', 'gate.md'], { files: { 'base.json': await baseline(70 * MB) } });
  expect(res.code).toBe(1);
  expect(res.stdout).toContain('300 MB');
  expect(res.stdout).toMatch(/^fail\s+hello\s+multi\s+size\s+70.0 MB\s+80.0 MB\s+\+10.0 MB \(\+14.3 %\)/m);
  expect(res.stdout).toContain('FAIL: 1 failing row');
  expect(res.read('gate.md')).toMatch(/\| fail \| hello \| multi \| size \| 70.0 MB \| 80.0 MB \|/);
  expect(res.results().run.status).toBe('complete');
});

test('exit 0: --baseline within the rules', async () => {
  const res = await stagebench([...RUN, '--baseline', 'base.json'], { files: { 'base.json': await baseline(80 * MB) } });
  expect(res.code).toBe(0);
  expect(res.stdout).toContain('PASS');
});

test('exit 2: a --report file that cannot be written is refused before anything is built', async () => {
  // A regular file where the report's folder should be: no user can make that folder.
  const res = await stagebench([...RUN, '--baseline', 'base.json', '--report', 'base.json/gate.md'], { files: { 'base.json': await baseline(80 * MB) } });
  expect(res.code).toBe(2);
  expect(res.engine.builds).toEqual([]);
  expect(res.stderr).toMatch(/cannot write \S*base\.json/);
  expect(res.stderr).toContain('fix: pass --report <file> in a folder you can write');
});

test('exit 2: a baseline from another engine is refused before anything is built', async () => {
  const other = await baseline(80 * MB, (r) => (r.engine.storageDriver = 'btrfs'));
  const res = await stagebench([...RUN, '--baseline', 'base.json'], { files: { 'base.json': other } });
  expect(res.code).toBe(2);
  expect(res.engine.builds).toEqual([]);
  expect(res.stderr).toContain('was measured on another engine (storage driver: btrfs ≠ overlay2)');
  expect(res.stderr).toContain('fix: refresh the baseline on this engine');
});

test('exit 2: gate keys that name nothing are refused before the engine is asked', async () => {
  const config = JSON.stringify({ gate: { scenarios: { 'hello/typo': { maxSize: '1 GB' } } } });
  const res = await stagebench([...RUN, '--baseline', 'base.json'], { files: { 'base.json': await baseline(80 * MB), 'stagebench.config.json': config } });
  expect(res.code).toBe(2);
  expect(res.engine.builds).toEqual([]);
  expect(res.stderr).toContain('gate.scenarios names what is neither in the baseline nor in this run: hello/typo');
});

test('a plain run warns (exit 0) about a gate key that names nothing, with the nearest name; one that names something is quiet', async () => {
  const config = JSON.stringify({ gate: { scenarios: { 'hello/mutli': { maxSize: '1 GB' }, helo: { maxLayers: 9 } } } });
  const res = await stagebench(RUN, { files: { 'stagebench.config.json': config } });
  expect(res.code).toBe(0);
  // One line in a pipe or a CI log, as errors are, for grep.
  expect(res.stderr).toContain(
    'warning: gate.scenarios names no scenario or variant of this run: hello/mutli (did you mean "hello/multi"?), helo (did you mean "hello"?); its rule applies to nothing, and compare or run --baseline will refuse it (exit 2)\n',
  );
  // On a terminal, wrapped at its width (100 columns here, not 80).
  expect((await stagebench(RUN, { files: { 'stagebench.config.json': config }, stderrColumns: 100 })).stderr).toContain(
    'warning: gate.scenarios names no scenario or variant of this run: hello/mutli (did you mean\n' +
      '  "hello/multi"?), helo (did you mean "hello"?); its rule applies to nothing, and compare or run\n' +
      '  --baseline will refuse it (exit 2)\n',
  );
  const fine = await stagebench(RUN, { files: { 'stagebench.config.json': JSON.stringify({ gate: { scenarios: { 'hello/multi': { maxSize: '1 GB' }, hello: { maxLayers: 9 } } } }) } });
  expect(fine.code).toBe(0);
  expect(fine.stderr).not.toContain('warning: gate.scenarios');
});

test('exit 2: a --scenarios folder that is not there is refused, even when the config declares scenarios', async () => {
  const config = JSON.stringify({ scenarios: { app: { context: '.' } } });
  const res = await stagebench(['run', '--scenarios', 'scenarois'], { files: { Dockerfile: 'FROM x', 'stagebench.config.json': config } });
  expect(res.code).toBe(2);
  expect(res.engine.builds).toEqual([]);
  expect(res.stderr).toContain('--scenarios scenarois: no such folder');
  // Without the flag, the declared scenario is enough: no scenarios folder is needed.
  expect((await stagebench(['run'], { files: { Dockerfile: 'FROM x', 'stagebench.config.json': config } })).code).toBe(0);
});

test('exit 2: a profile set in STAGEBENCH_PROFILE that the config does not define names the variable, wrapped on a terminal', async () => {
  const files = { 'stagebench.config.json': JSON.stringify({ scenarios: { app: { context: '.' } } }), Dockerfile: 'FROM x' };
  const env = { STAGEBENCH_PROFILE: 'offline' };
  const piped = await stagebench(['run'], { files, env });
  expect(piped.code).toBe(2);
  expect(piped.engine.builds).toEqual([]);
  // One line per message in a pipe or a CI log, for grep.
  expect(piped.stderr).toBe(
    'stagebench: STAGEBENCH_PROFILE=offline: no such profile in stagebench.config.json, which defines no profiles\n' +
      '  fix: unset STAGEBENCH_PROFILE, or define "offline" under "profiles" in stagebench.config.json (see the README)\n',
  );
  expect((await stagebench(['run'], { files, env, stderrColumns: 80 })).stderr).toBe(
    'stagebench: STAGEBENCH_PROFILE=offline: no such profile in\n' +
      '  stagebench.config.json, which defines no profiles\n' +
      '  fix: unset STAGEBENCH_PROFILE, or define "offline" under "profiles" in\n' +
      '       stagebench.config.json (see the README)\n',
  );
  // A slip of a defined profile gets it as the fix; --profile is named as the flag.
  const defined = { ...files, 'stagebench.config.json': JSON.stringify({ scenarios: { app: { context: '.' } }, profiles: { offline: {}, ci: {} } }) };
  expect((await stagebench(['run', '--profile', 'ofline'], { files: defined })).stderr).toBe(
    'stagebench: --profile ofline: no such profile in stagebench.config.json, which defines offline, ci: did you mean offline?\n' +
      '  fix: pass --profile offline, leave out --profile, or define "ofline" under "profiles" in stagebench.config.json (see the README)\n',
  );
  expect((await stagebench(RUN, { env })).stderr).toContain('stagebench: STAGEBENCH_PROFILE=offline needs a config file, and stagebench.config.json does not exist\n  fix: unset STAGEBENCH_PROFILE, or create');
});

test('exit 2: --scenario naming no scenario names the flag, the likely scenario and all there are', async () => {
  const res = await stagebench([...RUN, '--scenario', 'hell'], { stderrColumns: 40 });
  expect(res.code).toBe(2);
  expect(res.engine.builds).toEqual([]);
  expect(res.stderr).toBe('stagebench: --scenario hell: no such\n  scenario; did you mean hello?\n  fix: pass --scenario hello; the\n       scenarios are: hello\n');
});

test('errors wrap at the width of a terminal on stderr, a command in backticks kept whole; in a pipe each stays one line', async () => {
  const unreachable = { engine: { facts: new EngineUnreachableError('cannot reach the Docker engine at unix:///nonexistent.sock (ENOENT)', 'DOCKER_HOST names /nonexistent.sock, which does not exist: start the engine there, correct DOCKER_HOST, or unset it to use `docker context use <name>` or the local socket') } };
  const tty = await stagebench(RUN, { ...unreachable, stderrColumns: 80 });
  expect(tty.code).toBe(3);
  expect(tty.stderr.slice(tty.stderr.indexOf('stagebench:'))).toBe(
    'stagebench: cannot reach the Docker engine at unix:///nonexistent.sock (ENOENT)\n' +
      '  fix: DOCKER_HOST names /nonexistent.sock, which does not exist: start the\n' +
      '       engine there, correct DOCKER_HOST, or unset it to use\n' +
      '       `docker context use <name>` or the local socket\n',
  );
  const piped = await stagebench(RUN, unreachable);
  expect(piped.stderr.slice(piped.stderr.indexOf('stagebench:')).split('\n')).toEqual([
    'stagebench: cannot reach the Docker engine at unix:///nonexistent.sock (ENOENT)',
    '  fix: DOCKER_HOST names /nonexistent.sock, which does not exist: start the engine there, correct DOCKER_HOST, or unset it to use `docker context use <name>` or the local socket',
    '',
  ]);
});

test('a closed stderr (progress piped into head) does not stop the run: results written, images cleaned up, exit 0', async () => {
  const res = await stagebench(RUN, { stderrClosed: true });
  expect(res.code).toBe(0);
  expect(res.results().run.status).toBe('complete');
  expect(res.engine.builds).toHaveLength(3);
  expect(res.engine.cleanups).toHaveLength(1);
  expect(res.stdout).toContain('300 MB');
});

test('exit 130: Ctrl-C during a build keeps what was built as not measured, marks the run interrupted and cleans up', async () => {
  const res = await stagebench(RUN, { interruptAtBuild: 2 });
  expect(res.code).toBe(130);
  const results = res.results();
  expect(results.run.status).toBe('interrupted');
  // single built (its size as the engine gave it) but was never measured; multi's build was cancelled, not failed.
  expect(results.scenarios[0]!.variants.map((v) => [v.id, v.status, v.notMeasured, v.sizeBytes, v.error?.message])).toEqual([
    ['single', 'failed', 'interrupted', 300 * MB, 'not measured: the run was interrupted before it was measured'],
    ['multi', 'failed', 'interrupted', undefined, 'not measured: the run was interrupted and its build cancelled'],
  ]);
  expect(res.stderr).not.toMatch(/FAILED/);
  expect(res.engine.builds).toHaveLength(2);
  expect(res.engine.cleanups).toHaveLength(1);
  expect(res.stderr).toContain('interrupted: cancelling the running step, keeping the results so far, cleaning up');
});

test('exit 130 with --baseline: interrupted runs are not compared', async () => {
  const res = await stagebench([...RUN, '--baseline', 'base.json'], { files: { 'base.json': await baseline(10 * MB) }, interruptAtBuild: 1 });
  expect(res.code).toBe(130);
  expect(res.stderr).toContain('interrupted: not compared with the baseline');
  expect(res.stdout).not.toContain('FAIL');
});

test('a shard with no scenarios says so, counting them as "1 scenario"', async () => {
  const res = await stagebench([...RUN, '--shard', '2/2']);
  expect(res.engine.builds).toEqual([]);
  expect(res.stderr).toContain('shard 2/2 has no scenarios (1 scenario in 2 shards)\n');
});

test("a profile's services start in the config file's folder, the run's working directory, not the process's", async () => {
  const config = {
    scenarios: { app: { context: '.', services: ['mark'] } },
    profiles: { local: { services: [{ name: 'mark', start: ['node', '-e', "require('fs').writeFileSync('started', process.cwd())"] }] } },
  };
  const dir = mkdtempSync(join(tmpdir(), 'sb-run-cli-'));
  expect(dir).not.toBe(process.cwd());
  const res = await stagebench(['run', '--profile', 'local', '--no-smoke', '--out', 'out'], { dir, files: { Dockerfile: 'FROM x', 'stagebench.config.json': JSON.stringify(config) } });
  expect(res.stderr).not.toContain('did not start');
  expect(res.code).toBe(0);
  expect(realpathSync(res.read('started'))).toBe(realpathSync(dir));
});
