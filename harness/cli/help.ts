import { wrap } from '../report/wrap.js';
import { FLAGS, type Flag } from './args.js';

/** Help fits an 80-column terminal. */
const WIDTH = 80;

interface CommandHelp {
  usage: string;
  what: string;
  example: string;
  /** Where a flag's line for this command says more than its general meaning. */
  flags?: Partial<Record<Flag, string>>;
  /** The exit codes this command can give, each with what it means here (the global help has them all). */
  exits: [code: number, meaning: string][];
}

/** Exit codes every command that reads a results file or prints to stdout shares. */
const CLOSED = [141, 'stdout was closed early (e.g. piped into head), as a shell reports for a tool stopped by SIGPIPE'] as [number, string];
/** A command that writes a file (init, baseline, --out, --update, --report) ends 3 on a full disk. */
const FULL = [3, 'the disk is full'] as [number, string];
const READS = (what: string, writes = false): [number, string][] => [[0, 'done'], [2, `a bad flag, or ${what}`], ...(writes ? [FULL] : []), CLOSED];

/** What every flag means, with its argument and default: one meaning per name. */
const FLAG_HELP: Record<Flag, [arg: string, text: string]> = {
  scenarios: ['<dir>', 'folder with one sub-folder per scenario (default: scenarios, when there is one)'],
  scenario: ['<name>', 'only this scenario (a folder or declared in the config); repeat for more (default: all)'],
  builder: ['buildkit|classic', 'Engine builder: BuildKit (version=2) or classic (default: buildkit)'],
  out: ['<path>', 'where the output goes'],
  results: ['<file>', 'the results file to read, as the argument does (default: results/latest.json)'],
  'keep-images': ['', "keep each variant's last image (tagged stagebench/<scenario>:<variant>-<run id>)"],
  'no-smoke': ['', "skip the smoke checks declared in scenario.json"],
  deploy: ['', 'time each pull (from a loopback docker-registry it starts) and start to the first passing smoke check; the exact bytes a host with and without the base downloads'],
  bandwidth: ['<rate>', 'with --deploy: also the download time of those bytes at this rate, e.g. 100Mbit, 1Gbit/s, 12.5MB/s'],
  'no-cache': ['', 'build without the layer cache (local base images are still used)'],
  runs: ['<n>', 'timed builds per variant, interleaved across variants (default: 1)'],
  warmup: ['<n>', 'untimed builds per variant before the timed ones (default: 0)'],
  mode: ['<list>', 'cache modes per round, any of cold,warm,incremental (incremental: see scenario.json)'],
  'no-compressed': ['', 'skip the pull size (a gzip of every layer not measured before)'],
  jobs: ['<n>', 'size-only runs: build up to n variants at once; their build times overlap and are never compared (default: 1)'],
  'no-layer-cache': ['', 'measure every pull size again, bypassing the layer cache in $XDG_CACHE_HOME/stagebench (default ~/.cache/stagebench)'],
  'no-files': ['', "skip reading the images' files: wasted bytes, efficiency, packages"],
  format: ['table|markdown|json', 'what goes to stdout (default: table)'],
  wide: ['', 'tables as wide as they need: every column, nothing folded into footnotes'],
  color: ['auto|always|never', 'colour on stdout; auto: on a terminal, unless NO_COLOR is set (default: auto)'],
  profile: ['<name>', 'build-arg mapping and services from the config file (or env STAGEBENCH_PROFILE)'],
  config: ['<file>', 'config file: scenarios, profiles and the gate rules (default: stagebench.config.json if present)'],
  update: ['<doc>', 'replace the table between the stagebench markers in <doc> instead of printing'],
  baseline: ['<file>', 'the baseline results file (default: stagebench.baseline.json)'],
  report: ['<file>', 'also write the comparison as Markdown to <file>'],
  'allow-engine-mismatch': ['', 'compare with a baseline from another engine, storage driver or builder'],
  shard: ['<i>/<n>', 'only the i-th of n shares of the scenarios (sorted, dealt round-robin)'],
  'engine-timeout': ['<seconds>', 'how long one engine request may wait for an answer (or env STAGEBENCH_ENGINE_TIMEOUT; default: 60)'],
  all: ['', 'every run with images or containers on the engine, runs still in flight included'],
  force: ['', 'replace an existing file'],
  context: ['<name>', 'the docker context to use; wins over DOCKER_HOST (default: DOCKER_HOST, DOCKER_CONTEXT, then `docker context use`)'],
};

export const COMMANDS: Record<string, CommandHelp> = {
  init: {
    usage: 'stagebench init [--force] [--config <file>]',
    what: "find this repository's Dockerfiles and write a starting stagebench.config.json: a folder's Dockerfiles that share a context are one scenario, a variant each, compared with its plain Dockerfile",
    example: 'stagebench init && stagebench run && stagebench baseline update',
    exits: [
      [0, 'the config was written'],
      [2, 'a bad flag, no Dockerfile, or a config here or above (without --force)'],
      FULL,
    ],
    flags: { config: 'the file to write (default: stagebench.config.json)', force: 'replace the file if it exists, or write one below a folder that holds a config (default: refuse, exit 2)' },
  },
  run: {
    usage: 'stagebench run [flags]',
    what: "build and measure every scenario's variants, write the results, print the table",
    example: 'stagebench run --profile offline --scenario go-app --runs 5',
    exits: [
      [0, 'every variant built (and passed its smoke check)'],
      [1, 'with --baseline: a regression against it'],
      [2, 'usage or configuration error: nothing was built'],
      [3, 'the engine is unreachable, a variant failed to build or its smoke check, or the disk is full'],
      [130, 'interrupted (Ctrl-C); results measured so far are kept'],
      CLOSED,
    ],
    flags: {
      out: 'folder for latest.json, latest.md and runs/ (default: results)',
      baseline: 'compare with this results file afterwards (exit 1 on a regression)',
      report: 'with --baseline: also write the comparison as Markdown to <file>',
      'allow-engine-mismatch': 'with --baseline: compare with a baseline from another engine or builder',
    },
  },
  report: {
    usage: 'stagebench report [<results.json>] [flags]',
    what: 'render a results file again (default results/latest.json)',
    example: 'stagebench report results/latest.json --format markdown',
    exits: READS('a results file that is missing, corrupt or of another kind', true),
  },
  layers: {
    usage: 'stagebench layers [<results.json>] [--scenario <name>]',
    what: "each image's layers, largest first: inherited from the base or added by this Dockerfile",
    example: 'stagebench layers --scenario node-app',
    exits: READS('a results file that cannot be used, or a --scenario not in it'),
    flags: { scenario: 'only this scenario; repeat for more (exit 2 if it is not in the results)' },
  },
  steps: {
    usage: 'stagebench steps [<results.json>] [--scenario <name>]',
    what: "each variant's build steps: time and cache hit",
    example: 'stagebench steps --scenario go-app',
    exits: READS('a results file that cannot be used, or a --scenario not in it'),
    flags: { scenario: 'only this scenario; repeat for more (exit 2 if it is not in the results)' },
  },
  packages: {
    usage: 'stagebench packages <scenario> [<variant> [<other>]] [--results <file>]',
    what: 'what a variant ships that another does not: Debian, npm, Go and Alpine packages read from the images',
    example: 'stagebench packages node-app multi prod',
    exits: READS('a results file that cannot be used, or a scenario or variant not in it'),
  },
  claims: {
    usage: 'stagebench claims <claims.json> [--results <file>] [--out <file.md>]',
    what: "check a document's claims against results; Markdown on stdout or to --out",
    example: 'stagebench claims docs/lesson-claims.json --out claims.md',
    exits: READS('a claims or results file that cannot be used', true),
    flags: { out: 'write the Markdown to this file instead of stdout' },
  },
  compare: {
    usage: 'stagebench compare [<current.json>] [--baseline <file>] [flags]',
    what: 'compare results (default results/latest.json) with a baseline under the gate rules; exit 1 on a regression',
    example: 'stagebench compare --baseline stagebench.baseline.json --report gate.md',
    exits: [
      [0, 'no row fails (warnings do not change it)'],
      [1, 'a regression: a row over a cap or a fail growth rule, or missing'],
      [2, 'a bad flag or file, or a baseline from another engine'],
      [3, 'a row is an error (a variant failed, or the run stopped early), or the disk is full'],
      CLOSED,
    ],
  },
  baseline: {
    usage: 'stagebench baseline update [<results.json>] [--baseline <file>]',
    what: 'make a clean, complete run (default results/latest.json) the baseline: the only command that writes it',
    example: 'stagebench baseline update && git add stagebench.baseline.json',
    exits: [
      [0, 'the baseline was written'],
      [2, 'a bad flag or file, or a run that cannot be a baseline (interrupted, a failed variant, one shard)'],
      FULL,
    ],
    flags: { baseline: 'the file to write (default: stagebench.baseline.json)' },
  },
  merge: {
    usage: 'stagebench merge <a.json> <b.json> … [--out <dir>]',
    what: 'merge runs of other scenarios (e.g. shards) into one results file, and print its table',
    example: 'stagebench merge shard-1/latest.json shard-2/latest.json --out merged',
    exits: [
      [0, 'merged'],
      [2, 'a bad flag, or files that cannot be merged (every reason is listed)'],
      [3, 'a merged run has a variant that failed, or the disk is full'],
      [130, 'a merged run was interrupted'],
      CLOSED,
    ],
    flags: { out: 'folder for the merged latest.json and latest.md (default: results)' },
  },
  chart: {
    usage: 'stagebench chart [<results.json>] [--out <file.svg>]',
    what: 'an SVG chart of size, pull size and build time per scenario and variant',
    example: 'stagebench chart docs/reference/results.json --out docs/chart.svg',
    exits: READS('a results file that cannot be used', true),
    flags: { out: 'write the SVG to this file instead of stdout' },
  },
  clean: {
    usage: 'stagebench clean [<run-id>…] [--all] [--context <name>]',
    what: 'remove the images and containers of finished runs (e.g. after --keep-images), and the registry folders of killed --deploy runs; a run still in flight stays unless named or --all',
    example: 'stagebench clean 3f9c0a1b2c4d-41873',
    exits: [
      [0, 'removed what the runs left, or there was nothing'],
      [2, 'a bad flag'],
      [3, 'the engine is unreachable, or something could not be removed'],
      [130, 'interrupted (Ctrl-C)'],
    ],
  },
};

const EXIT_CODES = `Exit codes:
  0    done; every variant built (and passed its smoke check)
  1    a regression against the baseline (compare, run --baseline)
  2    usage or configuration error (nothing was built), a scenario or variant
       not in the results, or a baseline from another engine
  3    engine or build error: the engine is unreachable, or a variant failed
       to build or its smoke check
  130  interrupted (Ctrl-C); results measured so far are kept
  141  stdout was closed early (e.g. piped into head), as a shell reports
       for a tool stopped by SIGPIPE`;

const ENVIRONMENT = wrap(
  'Environment: DOCKER_HOST (unix://, tcp://, ssh://) or DOCKER_CONTEXT selects the engine (--context beats both); ' +
    'STAGEBENCH_PROFILE as --profile; STAGEBENCH_ENGINE_TIMEOUT as --engine-timeout; NO_COLOR (non-empty) turns colour off, ' +
    'FORCE_COLOR (non-empty, not 0) on, --color beats both; GITHUB_STEP_SUMMARY gets the gate report appended; ' +
    'GITHUB_ACTIONS=true adds ::error/::warning annotations.',
  WIDTH,
);

export function globalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => wrap(`  ${name.padEnd(width)}  ${c.what}`, WIDTH, ' '.repeat(width + 4)));
  return `stagebench: what does this Dockerfile choice cost? Builds each scenario's
Dockerfile variants through the Docker Engine API and compares image size, pull
size, layers and build time.

Usage: stagebench <command> [flags]
       stagebench <command> --help    that command's flags and an example

Commands:
${lines.join('\n')}

A scenario is declared under "scenarios" in stagebench.config.json (a context,
Dockerfiles, variants or a matrix; \`stagebench init\` writes one), or is a folder
holding Dockerfile.single (variant "single") and Dockerfile (variant "multi");
any Dockerfile.<v> adds variant <v>, and an optional scenario.json sets build
args, target, network and a smoke check.

${EXIT_CODES}

${ENVIRONMENT}
`;
}

/** One command's usage, flags (only those it takes), an example and the exit codes it can give. */
export function commandHelp(name: string): string {
  const c = COMMANDS[name]!;
  const rows = FLAGS[name]!.map((f) => {
    const [arg, text] = FLAG_HELP[f];
    return [`--${f}${arg ? ` ${arg}` : ''}`, c.flags?.[f] ?? (f === 'out' ? 'where the output goes' : text)] as const;
  });
  const width = Math.max(0, ...rows.map(([flag]) => flag.length));
  const flags = rows.length ? `Flags:\n${rows.map(([flag, text]) => wrap(`  ${flag.padEnd(width)}  ${text}`, WIDTH, ' '.repeat(width + 4))).join('\n')}\n\n` : '';
  const gate = name === 'run' || name === 'compare' ? 'The gate rules and its report: see the README, "Gate a change in CI".\n\n' : '';
  const exits = c.exits.map(([code, meaning]) => wrap(`  ${String(code).padEnd(3)}  ${meaning}`, WIDTH, ' '.repeat(7))).join('\n');
  return `Usage: ${c.usage}\n\n${wrap(`${c.what[0]!.toUpperCase()}${c.what.slice(1)}.`, WIDTH)}\n\n${flags}Example:\n  ${c.example}\n\n${gate}Exit codes:\n${exits}\n`;
}
