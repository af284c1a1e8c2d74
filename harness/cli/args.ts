import { parseArgs } from 'node:util';
import { DEFAULT_ENGINE_TIMEOUT_MS } from '../engine/deadline.js';
import { parseBandwidth } from '../config/quantities.js';
import { nearest } from '../format/did-you-mean.js';
import { UsageError } from '../errors.js';
import type { MeasureOptions } from '../measure/options.js';
import { BUILDERS, CACHE_MODES } from '../results/enums.js';
import { parseShard, type Shard } from '../scenarios/shard.js';
import type { InitArgs } from './init-command.js';

/** Where `stagebench baseline update` writes, and what compare reads, unless told otherwise. */
export const BASELINE_FILE = 'stagebench.baseline.json';
/** What `run` and `merge` write, and every reading command reads, unless told otherwise. */
export const RESULTS_DIR = 'results';
export const LATEST = `${RESULTS_DIR}/latest.json`;

export type Format = 'table' | 'markdown' | 'json';
export type ColorMode = 'auto' | 'always' | 'never';

/** How a command shows what it prints: colour, and for tables, whether they may be wider than the terminal. */
export interface Display {
  color: ColorMode;
  /** --wide: every column, no width limit, nothing folded into footnotes. */
  wide: boolean;
}

/** `stagebench run`: the measuring options as runBench takes them, and what the CLI itself needs. */
export interface RunArgs extends MeasureOptions, Display {
  command: 'run';
  /** --scenarios: a folder that must exist; absent, the default `scenarios` is read when it exists. */
  scenariosDir?: string;
  scenarios: string[];
  outDir: string;
  format: Format;
  profile?: string;
  /** The profile came from STAGEBENCH_PROFILE, not --profile: its messages say so. */
  profileFromEnv?: boolean;
  config?: string;
  shard?: Shard;
  /** --context: a docker context by name, which wins over DOCKER_HOST as in the docker CLI. */
  context?: string;
  /** Compare the run with this results file under the config's gate rules. */
  baseline?: string;
  /** Also write the comparison as Markdown to this file. */
  reportFile?: string;
  allowEngineMismatch: boolean;
  /** How long one engine request may wait for an answer (--engine-timeout / STAGEBENCH_ENGINE_TIMEOUT). */
  engineTimeoutMs: number;
}

export interface CleanArgs {
  command: 'clean';
  /** Remove these runs' containers and images, in flight or not. */
  runIds: string[];
  /** Remove everything stagebench labelled, runs in flight included. */
  all: boolean;
  engineTimeoutMs: number;
  /** --context: a docker context by name, which wins over DOCKER_HOST as in the docker CLI. */
  context?: string;
}

export interface CompareArgs extends Display {
  command: 'compare';
  baseline: string;
  current: string;
  format: Format;
  reportFile?: string;
  config?: string;
  allowEngineMismatch: boolean;
}

export interface BaselineArgs {
  command: 'baseline';
  from: string;
  baseline: string;
}

export interface MergeArgs extends Display {
  command: 'merge';
  files: string[];
  outDir: string;
  format: Format;
}

export interface ReportArgs extends Display {
  command: 'report';
  file: string;
  format: Format;
  /** Replace the table between the stagebench markers of this file instead of printing. */
  update?: string;
}

export interface ClaimsArgs {
  command: 'claims';
  claimsFile: string;
  resultsFile: string;
  /** Write the Markdown here instead of stdout. */
  out?: string;
}

export interface LayersArgs extends Display {
  command: 'layers' | 'steps';
  file: string;
  scenarios: string[];
}

export interface PackagesArgs {
  command: 'packages';
  file: string;
  scenario: string;
  /** None: every pair in counts; one: it against each other; two: what the first ships that the second does not. */
  variants: string[];
}

export interface ChartArgs {
  command: 'chart';
  file: string;
  /** Write the SVG here instead of stdout. */
  out?: string;
}

export type Command =
  | InitArgs
  | RunArgs
  | CompareArgs
  | BaselineArgs
  | MergeArgs
  | ReportArgs
  | ClaimsArgs
  | LayersArgs
  | PackagesArgs
  | ChartArgs
  | CleanArgs
  | { command: 'help'; topic?: string }
  | { command: 'version' };

/** Every flag, with one meaning wherever it is taken. */
export const OPTIONS = {
  scenarios: { type: 'string' },
  scenario: { type: 'string', multiple: true },
  builder: { type: 'string' },
  out: { type: 'string' },
  results: { type: 'string' },
  'keep-images': { type: 'boolean' },
  'no-smoke': { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  runs: { type: 'string' },
  warmup: { type: 'string' },
  mode: { type: 'string' },
  'no-compressed': { type: 'boolean' },
  'no-files': { type: 'boolean' },
  'no-layer-cache': { type: 'boolean' },
  jobs: { type: 'string' },
  format: { type: 'string' },
  wide: { type: 'boolean' },
  color: { type: 'string' },
  profile: { type: 'string' },
  config: { type: 'string' },
  update: { type: 'string' },
  baseline: { type: 'string' },
  report: { type: 'string' },
  'allow-engine-mismatch': { type: 'boolean' },
  shard: { type: 'string' },
  'engine-timeout': { type: 'string' },
  all: { type: 'boolean' },
  force: { type: 'boolean' },
  context: { type: 'string' },
  deploy: { type: 'boolean' },
  bandwidth: { type: 'string' },
} as const;
export type Flag = keyof typeof OPTIONS;

const DISPLAY: Flag[] = ['format', 'wide', 'color'];
const COMPARISON: Flag[] = ['baseline', 'report', 'config', 'allow-engine-mismatch'];
/** The flags each command reads, in the order its help lists them: any other is refused, not silently ignored. */
export const FLAGS: Record<string, Flag[]> = {
  run: ['scenarios', 'scenario', 'profile', 'config', 'builder', 'out', 'runs', 'warmup', 'mode', 'no-cache', 'no-compressed', 'no-layer-cache', 'jobs', 'no-files', 'no-smoke', 'deploy', 'bandwidth', 'keep-images', 'shard', 'context', 'engine-timeout', ...DISPLAY, 'baseline', 'report', 'allow-engine-mismatch'],
  report: ['results', 'update', ...DISPLAY],
  layers: ['results', 'scenario', 'wide', 'color'],
  steps: ['results', 'scenario', 'wide', 'color'],
  packages: ['results'],
  claims: ['results', 'out'],
  compare: ['results', ...COMPARISON, ...DISPLAY],
  baseline: ['results', 'baseline'],
  merge: ['out', ...DISPLAY],
  chart: ['results', 'out'],
  clean: ['all', 'context', 'engine-timeout'],
  init: ['config', 'force'],
};
/** Commands that read positional arguments (results files, or a claims file). */
const POSITIONALS = new Set(['report', 'layers', 'steps', 'packages', 'claims', 'compare', 'baseline', 'merge', 'chart', 'clean']);

const FORMATS: Format[] = ['table', 'markdown', 'json'];
const COLORS: ColorMode[] = ['auto', 'always', 'never'];

/**
 * A value from a closed list: anything else is refused with the list, and the fix is the nearest allowed value
 * (did you mean), in `whole` (the flag's whole value, e.g. a --mode list) when given; without a near one, the
 * fix lists them all.
 */
function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[], whole?: { value: string; with: (fixed: string) => string }): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const close = nearest(value, allowed);
  const given = whole ? `${whole.value} (${value})` : value;
  if (close) throw new UsageError(`--${flag} ${given} is not one of: ${allowed.join(', ')}: did you mean ${close}?`, `pass --${flag} ${whole ? whole.with(close) : close}`);
  throw new UsageError(`--${flag} ${given} is not one of: ${allowed.join(', ')}`, `pass --${flag} with one of ${allowed.join(', ')}`);
}

/** An example value for each flag that takes one, for the fix when it is missing. */
const EXAMPLE: Partial<Record<Flag, string>> = {
  scenarios: 'scenarios', scenario: '<name>', builder: 'classic', out: 'results', results: 'results/latest.json', runs: '5', warmup: '1', mode: 'cold,warm',
  jobs: '4', format: 'json', color: 'never', profile: '<name>', config: 'stagebench.config.json', update: 'README.md', baseline: 'stagebench.baseline.json',
  report: 'gate.md', shard: '1/2', 'engine-timeout': '120', context: '<name>', bandwidth: '100Mbit',
};

/** What the argument parser would refuse, in the project's words: a flag without its value, a value for a switch, a stray argument. */
function checkTokens(command: string, tokens: ReturnType<typeof parseArgs>['tokens'] & object): void {
  const help = `\`stagebench ${command} --help\` lists the flags`;
  for (const [i, t] of tokens.entries()) {
    // As the parser, a value that starts with a dash is taken for the next flag unless written --flag=-x.
    const swallowed = t.kind === 'option' && !t.inlineValue && t.value?.startsWith('-');
    if (t.kind === 'option' && OPTIONS[t.name as Flag].type === 'string' && swallowed && /^-\d/.test(t.value!)) {
      // `--runs -1`: a number flag says what it accepts (no negative counts or timeouts); another flag's value may
      // be a negative number, written --flag=-1.
      NUMBER_CHECKS[t.name as Flag]?.(t.value!);
      throw new UsageError(`--${t.name} needs a value, and ${t.value} is read as a flag of its own`, `write --${t.name}=${t.value} if that is the value, or pass e.g. --${t.name} ${EXAMPLE[t.name as Flag] ?? '<value>'}; ${help}`);
    }
    if (t.kind === 'option' && OPTIONS[t.name as Flag].type === 'string' && (t.value === undefined || swallowed)) {
      const next = swallowed ? t.value : tokens[i + 1]?.kind === 'option' ? (tokens[i + 1] as { rawName: string }).rawName : undefined;
      const took = next ? ` (${next} is a flag of its own)` : '';
      throw new UsageError(`--${t.name} needs a value${took}`, `pass e.g. --${t.name} ${EXAMPLE[t.name as Flag] ?? '<value>'}; ${help}`);
    }
    if (t.kind === 'option' && OPTIONS[t.name as Flag].type === 'boolean' && t.value !== undefined) {
      throw new UsageError(`--${t.name} takes no value, and was given "${t.value}"`, `write --${t.name} alone, or leave it out`);
    }
    if (t.kind === 'positional' && !POSITIONALS.has(command)) {
      const meant = command === 'run' ? `to measure only that scenario, pass --scenario ${t.value}` : `leave ${t.value} out`;
      throw new UsageError(`${command} takes no arguments, and was given ${t.value}`, `${meant}; ${help}`);
    }
  }
}

/** The flags that take a number, checked as they are when read: a value such as -1 gets their own refusal. */
const NUMBER_CHECKS: Partial<Record<Flag, (value: string) => unknown>> = {
  runs: (v) => count('runs', v, 1),
  warmup: (v) => count('warmup', v, 0),
  jobs: (v) => count('jobs', v, 1),
  'engine-timeout': (v) => engineTimeout(v, {}),
};

/** Where the command is among argv: the first word that names one and is not the value of a flag before it. */
function commandAt(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('-')) {
      const name = a.replace(/^--?/, '') as Flag;
      if (!a.includes('=') && OPTIONS[name]?.type === 'string') i++; // `--out report`: report is the value
    } else if (FLAGS[a] !== undefined) return i;
  }
  return -1;
}

/** A flag before the command (`stagebench --no-cache run`): flags come after it. */
function flagFirst(argv: string[]): never {
  const at = commandAt(argv);
  const flag = argv[0]!;
  const name = flag.replace(/^--?/, '').replace(/=.*$/, '') as Flag;
  const command = at > 0 ? argv[at]! : Object.keys(FLAGS).find((c) => FLAGS[c]!.includes(name));
  const moved = at > 0 ? [command, ...argv.slice(0, at), ...argv.slice(at + 1)] : [command, ...argv];
  const fix = command ? `flags come after the command: \`stagebench ${moved.join(' ')}\`` : 'flags come after the command; run `stagebench --help` for the commands';
  throw new UsageError(`${flag} comes before the command${at > 0 ? ` (${command})` : ', and there is none'}`, fix);
}

function count(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > 100) throw new UsageError(`--${flag} ${value} is not a whole number from ${min} to 100`, `pass e.g. --${flag} ${Math.max(min, 5)}`);
  return n;
}

/** Seconds, from the flag or the environment, to milliseconds. */
function engineTimeout(flag: string | undefined, env: Record<string, string | undefined>): number {
  const [value, where] = flag !== undefined ? [flag, '--engine-timeout'] : [env.STAGEBENCH_ENGINE_TIMEOUT, 'STAGEBENCH_ENGINE_TIMEOUT'];
  if (value === undefined || value === '') return DEFAULT_ENGINE_TIMEOUT_MS;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || seconds <= 0 || seconds > 86_400) {
    throw new UsageError(`${where} ${value} is not a number of seconds from 0 to 86400`, `pass e.g. ${where === '--engine-timeout' ? '--engine-timeout 120' : 'STAGEBENCH_ENGINE_TIMEOUT=120'}`);
  }
  return Math.round(seconds * 1000);
}

/** --jobs n: size-only concurrency, so nothing that times builds goes with it. */
function jobs(value: string | undefined, runs: string | undefined, warmup: string | undefined, mode: string | undefined): number {
  if (value === undefined) return 1;
  const n = count('jobs', value, 1);
  const timing = [runs !== undefined && runs !== '1' && '--runs', warmup !== undefined && warmup !== '0' && '--warmup', mode !== undefined && '--mode'].filter(Boolean);
  if (n > 1 && timing.length > 0) {
    throw new UsageError(`--jobs ${n} builds variants at once, so their build times overlap: it does not go with ${timing.join(', ')}`, 'time builds one at a time (leave out --jobs), or use --jobs for a size-only run');
  }
  return n;
}

/** --deploy needs the smoke check (its clock stops there); --bandwidth is about the deploy bytes. */
function deployFlags(deploy: boolean, bandwidth: string | undefined, noSmoke: boolean, jobs: number): Pick<RunArgs, 'deploy' | 'bandwidth'> {
  if (!deploy) {
    if (bandwidth !== undefined) throw new UsageError('--bandwidth gives the download time of the deploy bytes, and there are none without --deploy', 'add --deploy');
    return { deploy: false };
  }
  if (noSmoke) throw new UsageError('--deploy times the start to the first passing smoke check, and --no-smoke leaves it out', 'leave out --no-smoke, or --deploy');
  if (jobs > 1) throw new UsageError('--deploy times pulls and starts one variant at a time: it does not go with --jobs', 'leave out --jobs');
  if (bandwidth === undefined) return { deploy: true };
  const bitsPerSecond = parseBandwidth(bandwidth);
  if (bitsPerSecond === undefined) {
    throw new UsageError(`--bandwidth ${bandwidth} is not a rate`, 'pass bits per second such as 100Mbit, 1Gbit/s, 50Mbps, or bytes per second such as 12.5MB/s (SI prefixes are powers of 1000, Ki/Mi/Gi powers of 1024)');
  }
  return { deploy: true, bandwidth: { text: bandwidth, bitsPerSecond } };
}

function modes(value: string | undefined, noCache: boolean): RunArgs['modes'] {
  if (value === undefined) return [];
  if (noCache) throw new UsageError('--mode and --no-cache do not go together', 'use --mode cold for builds without the layer cache');
  const list = value.split(',').map((m) => m.trim());
  for (const m of list) oneOf('mode', m, CACHE_MODES, { value, with: (fixed) => list.map((x) => (x === m ? fixed : x)).join(',') });
  if (new Set(list).size !== list.length) throw new UsageError(`--mode ${value} names a mode twice`, 'list each of cold, warm, incremental at most once');
  return list as RunArgs['modes'];
}

/** A flag the command does not take: name the nearest it does take, or say which command takes it. */
function refuseFlag(command: string, name: string): never {
  const allowed = FLAGS[command]!;
  const close = nearest(name, allowed);
  const others = Object.keys(FLAGS).filter((c) => FLAGS[c]!.includes(name as Flag));
  const more = `see \`stagebench ${command} --help\``;
  if (close) throw new UsageError(`${command} does not take --${name}: did you mean --${close}?`, more);
  if (name === 'out' && others.length > 0) throw new UsageError(`${command} does not take --out: it writes nothing but stdout, and reads its results file as an argument or --results <file>`, more);
  if (others.length > 0) throw new UsageError(`${command} does not take --${name} (${others.join(', ')} ${others.length > 1 ? 'do' : 'does'})`, more);
  throw new UsageError(`unknown flag --${name}`, `${command} takes ${allowed.map((f) => `--${f}`).join(', ') || 'no flags'}; ${more}`);
}

/** The one input file: positional or --results, not both. */
function input(command: string, positionals: string[], results: string | undefined, max = 1): string[] {
  if (results !== undefined && positionals.length > 0) throw new UsageError(`${command}: give the results file as an argument or as --results, not both`, `run \`stagebench ${command} --help\``);
  if (positionals.length > max) throw new UsageError(`${command} takes ${max === 1 ? 'one results file' : `at most ${max} arguments`}, not ${positionals.length}: ${positionals.join(' ')}`, `run \`stagebench ${command} --help\``);
  return results !== undefined ? [results] : positionals;
}

export function parseCommand(argv: string[], env: Record<string, string | undefined> = {}): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'help') return rest[0] && FLAGS[rest[0]] ? { command: 'help', topic: rest[0] } : { command: 'help' };
  if (command === '--version' || command === '-v' || command === 'version') return { command: 'version' };
  const allowed = FLAGS[command];
  if (!allowed && command.startsWith('-')) flagFirst(argv);
  if (!allowed) {
    const close = nearest(command, Object.keys(FLAGS));
    throw new UsageError(`unknown command "${command}"${close ? `: did you mean ${close}?` : ''}`, 'run `stagebench --help` for the commands');
  }
  // Help for a command wins over everything else on the line, also over a typo in it.
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help', topic: command };

  // Unknown and foreign flags first, by name, so each gets its own suggestion.
  const loose = parseArgs({ args: rest, strict: false, tokens: true, allowPositionals: true, options: OPTIONS });
  for (const t of loose.tokens) if (t.kind === 'option' && !allowed.includes(t.name as Flag)) refuseFlag(command, t.name);
  checkTokens(command, loose.tokens);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, strict: true, allowPositionals: POSITIONALS.has(command), options: Object.fromEntries(allowed.map((f) => [f, OPTIONS[f]])) });
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument starting with a '-'.*$/s, '');
    throw new UsageError(`${command}: ${message}`, `see \`stagebench ${command} --help\``);
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const str = (f: Flag) => v[f] as string | undefined;
  const bool = (f: Flag) => v[f] === true;
  const format = oneOf('format', str('format') ?? 'table', FORMATS);
  const display: Display = { color: oneOf('color', str('color') ?? 'auto', COLORS), wide: bool('wide') };
  const positionals = parsed.positionals;
  const gate = {
    allowEngineMismatch: bool('allow-engine-mismatch'),
    ...(str('report') ? { reportFile: str('report')! } : {}),
    ...(str('config') ? { config: str('config')! } : {}),
  };
  switch (command) {
    case 'init':
      return { command, force: bool('force'), ...(str('config') ? { config: str('config')! } : {}) };
    case 'run': {
      if (!str('baseline') && (str('report') || bool('allow-engine-mismatch'))) {
        throw new UsageError(`${str('report') ? '--report' : '--allow-engine-mismatch'} is about the comparison, and there is none without --baseline`, 'add --baseline <file>, or run `stagebench compare` afterwards');
      }
      const profile = str('profile') ?? env.STAGEBENCH_PROFILE;
      return {
        command,
        ...(str('scenarios') ? { scenariosDir: str('scenarios')! } : {}),
        scenarios: (v.scenario as string[] | undefined) ?? [],
        builder: oneOf('builder', str('builder') ?? 'buildkit', BUILDERS),
        outDir: str('out') ?? RESULTS_DIR,
        keepImages: bool('keep-images'),
        smoke: !bool('no-smoke'),
        noCache: bool('no-cache'),
        runs: count('runs', str('runs') ?? '1', 1),
        warmup: count('warmup', str('warmup') ?? '0', 0),
        modes: modes(str('mode'), bool('no-cache')),
        compressed: !bool('no-compressed'),
        files: !bool('no-files'),
        layerCache: !bool('no-layer-cache'),
        jobs: jobs(str('jobs'), str('runs'), str('warmup'), str('mode')),
        ...deployFlags(bool('deploy'), str('bandwidth'), bool('no-smoke'), str('jobs') === undefined ? 1 : Number(str('jobs'))),
        format,
        ...display,
        ...(profile ? { profile, ...(str('profile') === undefined ? { profileFromEnv: true } : {}) } : {}),
        ...(str('shard') ? { shard: parseShard(str('shard')!) } : {}),
        ...(str('context') !== undefined ? { context: str('context')! } : {}),
        ...(str('baseline') ? { baseline: str('baseline')! } : {}),
        ...gate,
        engineTimeoutMs: engineTimeout(str('engine-timeout'), env),
      };
    }
    case 'compare':
      return { command, baseline: str('baseline') ?? BASELINE_FILE, current: input(command, positionals, str('results'))[0] ?? LATEST, format, ...display, ...gate };
    case 'baseline': {
      if (positionals[0] !== 'update') {
        throw new UsageError(`${['baseline', ...positionals].join(' ')}: the only baseline command is "update"`, 'run `stagebench baseline update [<results.json>] [--baseline <file>]`');
      }
      return { command, from: input('baseline update', positionals.slice(1), str('results'))[0] ?? LATEST, baseline: str('baseline') ?? BASELINE_FILE };
    }
    case 'merge':
      if (positionals.length === 0) throw new UsageError('merge needs the results files to merge', 'run `stagebench merge a.json b.json [--out <dir>]`');
      return { command, files: positionals, outDir: str('out') ?? RESULTS_DIR, format, ...display };
    case 'chart':
      return { command, file: input(command, positionals, str('results'))[0] ?? LATEST, ...(str('out') ? { out: str('out')! } : {}) };
    case 'report':
      return { command, file: input(command, positionals, str('results'))[0] ?? LATEST, format, ...display, ...(str('update') ? { update: str('update')! } : {}) };
    case 'claims':
      if (!positionals[0]) throw new UsageError('claims needs the claims file', 'run `stagebench claims docs/lesson-claims.json`');
      if (positionals.length > 1) throw new UsageError(`claims takes one claims file, not ${positionals.length}`, 'give the results file as --results <file>');
      return { command, claimsFile: positionals[0], resultsFile: str('results') ?? LATEST, ...(str('out') ? { out: str('out')! } : {}) };
    case 'packages': {
      const [scenario, ...variants] = positionals;
      if (!scenario || variants.length > 2) throw new UsageError('packages takes a scenario and at most two variants', 'run `stagebench packages <scenario> [<variant> [<other variant>]] [--results <file>]`');
      return { command, file: str('results') ?? LATEST, scenario, variants };
    }
    case 'layers':
    case 'steps':
      return { command, file: input(command, positionals, str('results'))[0] ?? LATEST, scenarios: (v.scenario as string[] | undefined) ?? [], ...display };
    default: // clean, the only command left
      if (bool('all') && positionals.length > 0) throw new UsageError('clean takes run ids or --all, not both', 'run `stagebench clean` (finished runs), `stagebench clean <run-id>...`, or `stagebench clean --all`');
      return { command: 'clean', runIds: positionals, all: bool('all'), engineTimeoutMs: engineTimeout(str('engine-timeout'), env), ...(str('context') !== undefined ? { context: str('context')! } : {}) };
  }
}
