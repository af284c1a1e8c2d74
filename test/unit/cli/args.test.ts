import { parseCommand } from '../../../harness/cli/args.js';
import { UsageError } from '../../../harness/errors.js';

test('run defaults', () => {
  expect(parseCommand(['run'])).toEqual({ command: 'run', color: 'auto', wide: false, scenarios: [], builder: 'buildkit', outDir: 'results', keepImages: false, smoke: true, noCache: false, runs: 1, warmup: 0, modes: [], compressed: true, layerCache: true, deploy: false, jobs: 1, files: true, format: 'table', allowEngineMismatch: false, engineTimeoutMs: 60_000 });
});

test('run with every flag', () => {
  const argv = ['run', '--scenarios', 's', '--scenario', 'a', '--scenario', 'b', '--builder', 'classic', '--out', 'o', '--keep-images', '--no-smoke', '--no-compressed', '--no-layer-cache', '--no-files', '--no-cache', '--runs', '5', '--warmup', '1', '--format', 'json', '--profile', 'offline', '--config', 'c.json', '--shard', '2/3', '--baseline', 'b.json', '--report', 'r.md', '--allow-engine-mismatch', '--engine-timeout', '2.5'];
  expect(parseCommand(argv)).toEqual({ command: 'run', color: 'auto', wide: false, scenariosDir: 's', scenarios: ['a', 'b'], builder: 'classic', outDir: 'o', keepImages: true, smoke: false, noCache: true, runs: 5, warmup: 1, modes: [], compressed: false, layerCache: false, deploy: false, jobs: 1, files: false, format: 'json', profile: 'offline', config: 'c.json', shard: { index: 2, count: 3 }, baseline: 'b.json', reportFile: 'r.md', allowEngineMismatch: true, engineTimeoutMs: 2500 });
});

test('--mode takes a list, in order', () => {
  expect(parseCommand(['run', '--mode', 'warm,cold,incremental'])).toMatchObject({ modes: ['warm', 'cold', 'incremental'] });
});

test('the profile can come from STAGEBENCH_PROFILE; the flag wins', () => {
  // Marked as the variable's, so its messages name STAGEBENCH_PROFILE rather than a flag nobody passed.
  expect(parseCommand(['run'], { STAGEBENCH_PROFILE: 'offline' })).toMatchObject({ profile: 'offline', profileFromEnv: true });
  expect(parseCommand(['run', '--profile', 'x'], { STAGEBENCH_PROFILE: 'offline' })).toMatchObject({ profile: 'x' });
  expect(parseCommand(['run', '--profile', 'x'], { STAGEBENCH_PROFILE: 'offline' })).not.toHaveProperty('profileFromEnv');
});

test('the engine timeout: seconds from --engine-timeout or STAGEBENCH_ENGINE_TIMEOUT; the flag wins', () => {
  expect(parseCommand(['run'], { STAGEBENCH_ENGINE_TIMEOUT: '5' })).toMatchObject({ engineTimeoutMs: 5000 });
  expect(parseCommand(['run', '--engine-timeout', '7'], { STAGEBENCH_ENGINE_TIMEOUT: '5' })).toMatchObject({ engineTimeoutMs: 7000 });
  expect(() => parseCommand(['run'], { STAGEBENCH_ENGINE_TIMEOUT: 'soon' })).toThrow('STAGEBENCH_ENGINE_TIMEOUT soon is not a number of seconds from 0 to 86400');
  expect(() => parseCommand(['run', '--engine-timeout', '0'])).toThrow('--engine-timeout 0 is not a number of seconds');
});

test('clean: finished runs by default, named runs, or --all', () => {
  expect(parseCommand(['clean'])).toEqual({ command: 'clean', runIds: [], all: false, engineTimeoutMs: 60_000 });
  expect(parseCommand(['clean', 'a1', 'b2'])).toMatchObject({ runIds: ['a1', 'b2'], all: false });
  expect(parseCommand(['clean', '--all'])).toMatchObject({ runIds: [], all: true });
  expect(() => parseCommand(['clean', '--all', 'a1'])).toThrow('clean takes run ids or --all, not both');
});

test.each([
  [[], 'help'],
  [['--help'], 'help'],
  [['run', '--help'], 'help'],
  [['--version'], 'version'],
  [['clean'], 'clean'],
])('%j is %s', (argv, command) => expect(parseCommand(argv).command).toBe(command));

test('layers and steps take a results file and scenario filters', () => {
  expect(parseCommand(['steps', '--scenario', 'go-app'])).toEqual({ command: 'steps', color: 'auto', wide: false, file: 'results/latest.json', scenarios: ['go-app'] });
  expect(parseCommand(['layers', 'r.json'])).toEqual({ command: 'layers', color: 'auto', wide: false, file: 'r.json', scenarios: [] });
});

test('report takes a file and a format', () => {
  expect(parseCommand(['report', 'x.json', '--format', 'markdown'])).toEqual({ command: 'report', color: 'auto', wide: false, file: 'x.json', format: 'markdown' });
  expect(parseCommand(['report'])).toEqual({ command: 'report', color: 'auto', wide: false, file: 'results/latest.json', format: 'table' });
});

test.each([
  [['build'], /unknown command "build"/],
  [['run', '--builder', 'kaniko'], /--builder kaniko is not one of: buildkit, classic/],
  [['run', '--format', 'html'], /--format html is not one of/],
  [['run', '--colour'], /run does not take --colour: did you mean --color\?/],
  [['run', 'extra'], /^run takes no arguments, and was given extra$/],
  [['run', '--runs', '0'], /--runs 0 is not a whole number from 1 to 100/],
  [['run', '--runs', '2.5'], /--runs 2.5 is not a whole number/],
  [['run', '--mode', 'cold,hot'], /^--mode cold,hot \(hot\) is not one of: cold, warm, incremental$/],
  [['run', '--mode', 'cold,cold'], /names a mode twice/],
  [['run', '--mode', 'cold', '--no-cache'], /--mode and --no-cache do not go together/],
  [['run', '--warmup', 'x'], /--warmup x is not a whole number from 0 to 100/],
])('%j is a usage error', (argv, message) => {
  expect(() => parseCommand(argv)).toThrow(UsageError);
  expect(() => parseCommand(argv)).toThrow(message);
});

test('compare: the committed baseline against the latest results unless told otherwise', () => {
  expect(parseCommand(['compare'])).toEqual({ command: 'compare', color: 'auto', wide: false, baseline: 'stagebench.baseline.json', current: 'results/latest.json', format: 'table', allowEngineMismatch: false });
  expect(parseCommand(['compare', '--baseline', 'b.json', 'c.json', '--format', 'markdown', '--report', 'r.md', '--config', 'x.json'])).toEqual({
    command: 'compare',
    color: 'auto',
    wide: false,
    baseline: 'b.json',
    current: 'c.json',
    format: 'markdown',
    reportFile: 'r.md',
    config: 'x.json',
    allowEngineMismatch: false,
  });
  expect(() => parseCommand(['compare', 'a.json', 'b.json'])).toThrow('compare takes one results file, not 2');
});

test('baseline update, merge and chart', () => {
  expect(parseCommand(['baseline', 'update'])).toEqual({ command: 'baseline', from: 'results/latest.json', baseline: 'stagebench.baseline.json' });
  expect(parseCommand(['baseline', 'update', 'r.json', '--baseline', 'b.json'])).toEqual({ command: 'baseline', from: 'r.json', baseline: 'b.json' });
  expect(() => parseCommand(['baseline'])).toThrow(/^baseline: the only baseline command is "update"$/);
  expect(() => parseCommand(['baseline', 'delete'])).toThrow('the only baseline command is "update"');
  expect(parseCommand(['merge', 'a.json', 'b.json', '--out', 'm'])).toEqual({ command: 'merge', color: 'auto', wide: false, files: ['a.json', 'b.json'], outDir: 'm', format: 'table' });
  expect(parseCommand(['chart', 'r.json'])).toEqual({ command: 'chart', file: 'r.json' });
});

test('comparison flags without --baseline are refused rather than ignored', () => {
  expect(() => parseCommand(['run', '--report', 'r.md'])).toThrow('--report is about the comparison, and there is none without --baseline');
  expect(() => parseCommand(['run', '--allow-engine-mismatch'])).toThrow('--allow-engine-mismatch is about the comparison');
});

test.each([
  [['compare', '--runs', '5'], 'compare does not take --runs (run does)'],
  [['report', '--builder', 'classic', '--scenario', 'x'], 'report does not take --builder (run does)'],
  [['clean', '--out', 'x'], 'clean does not take --out'],
  [['layers', '--out', 'results'], 'layers does not take --out: it writes nothing but stdout, and reads its results file as an argument or --results <file>'],
  [['merge', 'a.json', '--shard', '1/2'], 'merge does not take --shard (run does)'],
])('%j: a flag the command does not read is refused', (argv, message) => {
  expect(() => parseCommand(argv)).toThrow(message);
});

test('an unknown command is named before its flags are looked at', () => {
  expect(() => parseCommand(['bench', '--runs', '5'])).toThrow('unknown command "bench"');
});

test('--jobs n is for size-only runs: nothing that times builds goes with it', () => {
  expect(parseCommand(['run', '--jobs', '2'])).toMatchObject({ jobs: 2 });
  expect(parseCommand(['run', '--jobs', '1', '--runs', '5'])).toMatchObject({ jobs: 1, runs: 5 });
  expect(() => parseCommand(['run', '--jobs', '2', '--runs', '5', '--mode', 'cold'])).toThrow('--jobs 2 builds variants at once, so their build times overlap: it does not go with --runs, --mode');
  expect(() => parseCommand(['run', '--jobs', '0'])).toThrow('--jobs 0 is not a whole number from 1 to 100');
});

test('run --deploy --bandwidth: the rate as given and in bits per second', () => {
  expect(parseCommand(['run', '--deploy', '--bandwidth', '100Mbit'])).toMatchObject({ deploy: true, bandwidth: { text: '100Mbit', bitsPerSecond: 100_000_000 } });
  expect(parseCommand(['run', '--deploy'])).toMatchObject({ deploy: true });
  expect(parseCommand(['run', '--deploy'])).not.toHaveProperty('bandwidth');
  expect(() => parseCommand(['run', '--deploy', '--jobs', '2'])).toThrow('--deploy times pulls and starts one variant at a time');
});

test('the example GitHub Actions workflow runs only what a repository with stagebench installed has, with flags stagebench takes', async () => {
  const { readFileSync } = await import('node:fs');
  const workflow = readFileSync(new URL('../../../docs/ci/github-actions.yml', import.meta.url), 'utf8');
  const runs = [...workflow.matchAll(/^\s*(?:- )?run: (.*)$/gm)].map((m) => m[1]!.trim());
  expect(runs.length).toBeGreaterThan(3);
  for (const line of runs) {
    // npm ci installs; anything else is stagebench itself, never a script of this repository (npm run bench).
    if (line === 'npm ci') continue;
    expect(line).toMatch(/^npx stagebench /);
    const argv = line.replace(/\$\{\{ matrix\.shard \}\}/g, '1').replace(/ >>.*$/, '').split(' ').slice(2);
    expect(() => parseCommand(argv)).not.toThrow();
  }
});

/** The message and the fix of the usage error parseCommand raises for argv. */
function refusal(argv: string[]): { message: string; hint: string | undefined } {
  try {
    parseCommand(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return { message: (err as UsageError).message, hint: (err as UsageError).hint };
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

test.each([
  [['run', '--builder', 'clasic'], '--builder clasic is not one of: buildkit, classic: did you mean classic?', 'pass --builder classic'],
  [['run', '--builder', 'kaniko'], '--builder kaniko is not one of: buildkit, classic', 'pass --builder with one of buildkit, classic'],
  [['report', '--format', 'jsn'], '--format jsn is not one of: table, markdown, json: did you mean json?', 'pass --format json'],
  [['compare', '--color', 'nevr'], '--color nevr is not one of: auto, always, never: did you mean never?', 'pass --color never'],
  // In a list, the fix is the whole list with the slip corrected.
  [['run', '--mode', 'cold,wram'], '--mode cold,wram (wram) is not one of: cold, warm, incremental: did you mean warm?', 'pass --mode cold,warm'],
])('%j: a mistyped value of a closed list gets the nearest allowed value as its fix', (argv, message, hint) => {
  expect(refusal(argv)).toEqual({ message, hint });
});

test.each([
  [['run', '--runs'], '--runs needs a value', 'pass e.g. --runs 5; `stagebench run --help` lists the flags'],
  [['run', '--runs', '--no-cache'], '--runs needs a value (--no-cache is a flag of its own)', 'pass e.g. --runs 5; `stagebench run --help` lists the flags'],
  [['compare', '--baseline'], '--baseline needs a value', 'pass e.g. --baseline stagebench.baseline.json; `stagebench compare --help` lists the flags'],
  [['run', '--no-cache=yes'], '--no-cache takes no value, and was given "yes"', 'write --no-cache alone, or leave it out'],
  [['run', 'extra-arg'], 'run takes no arguments, and was given extra-arg', 'to measure only that scenario, pass --scenario extra-arg; `stagebench run --help` lists the flags'],
  [['init', 'x'], 'init takes no arguments, and was given x', 'leave x out; `stagebench init --help` lists the flags'],
  [['--no-cache', 'run'], '--no-cache comes before the command (run)', 'flags come after the command: `stagebench run --no-cache`'],
  [['--runs', '3', 'run', '--no-smoke'], '--runs comes before the command (run)', 'flags come after the command: `stagebench run --runs 3 --no-smoke`'],
  [['--runs', '3'], '--runs comes before the command, and there is none', 'flags come after the command: `stagebench run --runs 3`'],
  [['--nope'], '--nope comes before the command, and there is none', 'flags come after the command; run `stagebench --help` for the commands'],
  // A flag's value that names a command is its value: the command is the word after it.
  [['--out', 'report', 'run'], '--out comes before the command (run)', 'flags come after the command: `stagebench run --out report`'],
  [['--no-cache', '--out', 'report', 'run', '--no-smoke'], '--no-cache comes before the command (run)', 'flags come after the command: `stagebench run --no-cache --out report --no-smoke`'],
  [['--out=report', 'run'], '--out=report comes before the command (run)', 'flags come after the command: `stagebench run --out=report`'],
  // A negative count is not a flag of its own: the flag says what it takes.
  [['run', '--runs', '-1'], '--runs -1 is not a whole number from 1 to 100', 'pass e.g. --runs 5'],
  [['run', '--warmup', '-1'], '--warmup -1 is not a whole number from 0 to 100', 'pass e.g. --warmup 5'],
  [['run', '--engine-timeout', '-5'], '--engine-timeout -5 is not a number of seconds from 0 to 86400', 'pass e.g. --engine-timeout 120'],
  // Another flag's value may be a negative number: written --flag=-1.
  [['run', '--out', '-1'], '--out needs a value, and -1 is read as a flag of its own', 'write --out=-1 if that is the value, or pass e.g. --out results; `stagebench run --help` lists the flags'],
])('%j: what the argument parser would refuse is said in the message + fix form', (argv, message, hint) => {
  expect(refusal(argv)).toEqual({ message, hint });
});
