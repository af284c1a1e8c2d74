import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import type { MeasureOptions } from '../measure/options.js';
import { BuilderSchema, CacheModeSchema } from '../results/schema.js';
import { parseShard, type Shard } from '../scenarios/shard.js';

/** Where `stagebench baseline update` writes, and what compare reads, unless told otherwise. */
export const BASELINE_FILE = 'stagebench.baseline.json';

export type Format = 'table' | 'markdown' | 'json';

/** `stagebench run`: the measuring options as runBench takes them, and what the CLI itself needs. */
export interface RunArgs extends MeasureOptions {
  command: 'run';
  scenariosDir: string;
  scenarios: string[];
  outDir: string;
  format: Format;
  profile?: string;
  config?: string;
  shard?: Shard;
  /** Compare the run with this results file under the config's gate rules. */
  baseline?: string;
  /** Also write the comparison as Markdown to this file. */
  reportFile?: string;
  allowEngineMismatch: boolean;
}

export interface CompareArgs {
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

export interface MergeArgs {
  command: 'merge';
  files: string[];
  outDir: string;
  format: Format;
}

export interface ReportArgs {
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
}

export interface LayersArgs {
  command: 'layers' | 'steps';
  file: string;
  scenarios: string[];
}

export type Command = RunArgs | CompareArgs | BaselineArgs | MergeArgs | ReportArgs | ClaimsArgs | LayersArgs | { command: 'chart'; file: string } | { command: 'clean' } | { command: 'help' } | { command: 'version' };

const FORMATS: Format[] = ['table', 'markdown', 'json'];

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} ${value} is not one of: ${allowed.join(', ')}`, `pass --${flag} ${allowed[0]}`);
  }
  return value as T;
}

function count(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > 100) throw new UsageError(`--${flag} ${value} is not a whole number from ${min} to 100`, `pass e.g. --${flag} ${Math.max(min, 5)}`);
  return n;
}

function modes(value: string | undefined, noCache: boolean): RunArgs['modes'] {
  if (value === undefined) return [];
  if (noCache) throw new UsageError('--mode and --no-cache do not go together', 'use --mode cold for builds without the layer cache');
  const list = value.split(',').map((m) => m.trim());
  for (const m of list) oneOf('mode', m, CacheModeSchema.options);
  if (new Set(list).size !== list.length) throw new UsageError(`--mode ${value} names a mode twice`, 'list each of cold, warm, incremental at most once');
  return list as RunArgs['modes'];
}

const COMPARISON = ['baseline', 'report', 'config', 'allow-engine-mismatch'];
/** The flags each command reads: any other is refused, not silently ignored. */
const FLAGS: Record<string, string[]> = {
  run: ['scenarios', 'scenario', 'builder', 'out', 'keep-images', 'no-smoke', 'no-cache', 'runs', 'warmup', 'mode', 'no-compressed', 'format', 'profile', 'shard', ...COMPARISON],
  compare: ['out', 'format', ...COMPARISON],
  baseline: ['out', 'baseline'],
  merge: ['out', 'format'],
  report: ['out', 'format', 'update'],
  claims: ['out', 'results'],
  layers: ['out', 'scenario'],
  steps: ['out', 'scenario'],
  chart: ['out'],
  clean: [],
};

export function parseCommand(argv: string[], env: Record<string, string | undefined> = {}): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === '--version' || command === '-v') return { command: 'version' };
  const allowed = FLAGS[command];
  if (!allowed) throw new UsageError(`unknown command "${command}"`, 'run `stagebench --help` for the commands');
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: !['run', 'clean'].includes(command),
      strict: true,
      tokens: true,
      options: {
        scenarios: { type: 'string', default: 'scenarios' },
        scenario: { type: 'string', multiple: true, default: [] },
        builder: { type: 'string', default: 'buildkit' },
        out: { type: 'string', default: 'results' },
        'keep-images': { type: 'boolean', default: false },
        'no-smoke': { type: 'boolean', default: false },
        'no-cache': { type: 'boolean', default: false },
        runs: { type: 'string', default: '1' },
        warmup: { type: 'string', default: '0' },
        mode: { type: 'string' },
        'no-compressed': { type: 'boolean', default: false },
        format: { type: 'string', default: 'table' },
        profile: { type: 'string', default: env.STAGEBENCH_PROFILE },
        config: { type: 'string' },
        update: { type: 'string' },
        results: { type: 'string' },
        baseline: { type: 'string' },
        report: { type: 'string' },
        'allow-engine-mismatch': { type: 'boolean', default: false },
        shard: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message, 'run `stagebench --help` for the flags');
  }
  const v = parsed.values;
  if (v.help) return { command: 'help' };
  const foreign = [...new Set(parsed.tokens.flatMap((t) => (t.kind === 'option' && !allowed.includes(t.name) ? [`--${t.name}`] : [])))];
  if (foreign.length > 0) {
    throw new UsageError(`${command} does not take ${foreign.join(', ')}`, `${command} takes ${allowed.map((f) => `--${f}`).join(', ') || 'no flags'}; see \`stagebench --help\``);
  }
  const format = oneOf('format', v.format as string, FORMATS);
  const latest = `${v.out as string}/latest.json`;
  const gate = {
    allowEngineMismatch: v['allow-engine-mismatch'] as boolean,
    ...(v.report ? { reportFile: v.report as string } : {}),
    ...(v.config ? { config: v.config as string } : {}),
  };
  switch (command) {
    case 'run':
      if (!v.baseline && (v.report || v['allow-engine-mismatch'])) {
        throw new UsageError(`${v.report ? '--report' : '--allow-engine-mismatch'} is about the comparison, and there is none without --baseline`, 'add --baseline <file>, or run `stagebench compare` afterwards');
      }
      return {
        command,
        scenariosDir: v.scenarios as string,
        scenarios: v.scenario as string[],
        builder: oneOf('builder', v.builder as string, BuilderSchema.options),
        outDir: v.out as string,
        keepImages: v['keep-images'] as boolean,
        smoke: !(v['no-smoke'] as boolean),
        noCache: v['no-cache'] as boolean,
        runs: count('runs', v.runs as string, 1),
        warmup: count('warmup', v.warmup as string, 0),
        modes: modes(v.mode as string | undefined, v['no-cache'] as boolean),
        compressed: !(v['no-compressed'] as boolean),
        format,
        ...(v.profile ? { profile: v.profile as string } : {}),
        ...(v.shard ? { shard: parseShard(v.shard as string) } : {}),
        ...(v.baseline ? { baseline: v.baseline as string } : {}),
        ...gate,
      };
    case 'compare':
      if (parsed.positionals.length > 1) throw new UsageError(`compare takes one results file, not ${parsed.positionals.length}`, 'run `stagebench compare --baseline <file> [<current.json>]`');
      return { command, baseline: (v.baseline as string | undefined) ?? BASELINE_FILE, current: parsed.positionals[0] ?? latest, format, ...gate };
    case 'baseline':
      if (parsed.positionals[0] !== 'update' || parsed.positionals.length > 2) {
        throw new UsageError(`baseline ${parsed.positionals.join(' ')}: the only baseline command is "update"`, 'run `stagebench baseline update [<results.json>] [--baseline <file>]`');
      }
      return { command, from: parsed.positionals[1] ?? latest, baseline: (v.baseline as string | undefined) ?? BASELINE_FILE };
    case 'merge':
      return { command, files: parsed.positionals, outDir: v.out as string, format };
    case 'chart':
      return { command, file: parsed.positionals[0] ?? latest };
    case 'report':
      return { command, file: parsed.positionals[0] ?? latest, format, ...(v.update ? { update: v.update as string } : {}) };
    case 'claims':
      if (!parsed.positionals[0]) throw new UsageError('claims needs the claims file', 'run `stagebench claims docs/lesson-claims.json`');
      return { command, claimsFile: parsed.positionals[0], resultsFile: (v.results as string | undefined) ?? latest };
    case 'layers':
    case 'steps':
      return { command, file: parsed.positionals[0] ?? latest, scenarios: v.scenario as string[] };
    default: // clean, the only command left
      return { command: 'clean' };
  }
}
