import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StagebenchError, UsageError } from '../errors.js';
import { meantAs } from '../format/did-you-mean.js';
import { shownPath } from '../format/shown-path.js';
import type { ChosenBy } from '../output/write.js';
import type { Results } from '../results/schema.js';
import { parseCommand } from './args.js';
import { errorText, errorWidth } from './error-text.js';
import { exitCode, type Outcome } from './exit-code.js';
import { commandHelp, globalHelp } from './help.js';
import type { CliIo } from './io.js';

// Only what every command needs is imported up front: each command loads its own modules (the engine
// client, zod schemas, table and chart renderers) when it runs, so `--help` and `--version` start fast.
const engineFor = async (io: CliIo, timeoutMs: number, context?: string) => io.engine ?? new (await import('../engine/docker-engine.js')).DockerEngine(io.env, { timeoutMs, context });
const readResultsFile = async (file: string) => (await import('../results/io.js')).readResults(file);
const writeFileAtomic = async (file: string, text: string, chosenBy: ChosenBy) => (await import('../output/write.js')).writeAtomic(file, text, chosenBy);

const packageJson = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8')) as { version: string };

const wantsJson = (argv: string[]) => argv.includes('--format=json') || argv.some((a, i) => a === '--format' && argv[i + 1] === 'json');

/** Every scenario named (by --scenario, or packages' argument) is in the results; else a usage error naming the likely one and what there is. */
function checkScenarios(results: Results, names: string[], file: string, by: string): void {
  const known = results.scenarios.map((s) => s.name);
  const absent = names.filter((n) => !known.includes(n));
  if (absent.length === 0) return;
  const { guess, text: meant } = meantAs(absent, known);
  const has = `it has ${known.join(', ') || 'no scenarios'}`;
  const hint = guess.length === 1 ? `pass ${by === '--scenario' ? '--scenario ' : ''}${guess[0]} (${has})` : `${has}; pass one of those ${by === '--scenario' ? 'to --scenario' : 'as the scenario'}`;
  throw new UsageError(`${file} has no scenario ${absent.map((n) => `"${n}"`).join(', ')}${meant}`, hint);
}

/**
 * A closed stdout (`stagebench report | head -1`) is not a failure of the tool: stop writing, say nothing,
 * and exit 141 as a shell does for a tool stopped by SIGPIPE. A run goes on to write its results and clean up.
 * A closed stderr (`stagebench run 2>&1 >/dev/null | head`) only silences the progress: unguarded, its EPIPE
 * killed the process mid-run, leaving the run unfinished and its images on the engine.
 */
function guardPipe(io: CliIo): { io: CliIo; closed: () => boolean; settled: () => Promise<void> } {
  const stdout = dropAfterEpipe(io.stdout);
  const stderr = dropAfterEpipe(io.stderr);
  // The error of a write is reported a tick later: wait for it before choosing the exit code.
  const settled = () => new Promise<void>((done) => setImmediate(done));
  return { io: { ...io, stdout: stdout.stream, stderr: stderr.stream }, closed: stdout.closed, settled };
}

/** The stream with writes dropped once it reported EPIPE; any other error of the stream still throws. */
function dropAfterEpipe<S extends CliIo['stdout'] | CliIo['stderr']>(stream: S): { stream: S; closed: () => boolean } {
  let closed = false;
  stream.on?.('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
  });
  const guarded = Object.assign(Object.create(stream) as S, { write: (text: string) => (closed ? true : stream.write(text)) });
  return { stream: guarded, closed: () => closed };
}

/** The whole CLI: parses io.argv, does the work, and returns the exit code. Never calls process.exit. */
export async function run(rawIo: CliIo): Promise<number> {
  const pipe = guardPipe(rawIo);
  const code = await guarded(pipe.io);
  await pipe.settled();
  return pipe.closed() ? exitCode({ kind: 'stdoutClosed' }) : code;
}

async function guarded(io: CliIo): Promise<number> {
  try {
    return exitCode(await dispatch(io));
  } catch (err) {
    const code = exitCode({ kind: 'error', error: err });
    const known = err instanceof StagebenchError;
    if (known) io.stderr.write(errorText(err.message, err.hint, errorWidth(io.stderr)));
    else io.stderr.write(`stagebench: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    // Whoever asked for JSON on stdout gets JSON, also when there are no results to give.
    if (wantsJson(io.argv)) {
      const error = { message: (err as Error).message, ...(known && err.hint ? { hint: err.hint } : {}), exitCode: code };
      io.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
    }
    return code;
  }
}

async function dispatch(io: CliIo): Promise<Outcome> {
  const command = parseCommand(io.argv, io.env);
  switch (command.command) {
    case 'help':
      io.stdout.write(command.topic ? commandHelp(command.topic) : globalHelp());
      return { kind: 'done' };
    case 'version':
      io.stdout.write(`${packageJson.version}\n`);
      return { kind: 'done' };
    case 'report': {
      const results = await readResultsFile(resolve(io.cwd, command.file));
      const { END, replaceBetweenMarkers, START } = await import('../report/markers.js');
      const { renderMarkdown } = await import('../report/markdown.js');
      const { render, terminalFor } = await import('./output.js');
      if (command.update) {
        const target = resolve(io.cwd, command.update);
        if (!existsSync(target)) throw new UsageError(`--update ${command.update}: no such file`, 'pass the document whose stagebench table should be replaced');
        const updated = replaceBetweenMarkers(readFileSync(target, 'utf8'), renderMarkdown(results));
        if (updated === undefined) throw new UsageError(`${command.update} has no ${START} … ${END} markers`, 'add both marker lines where the table should go');
        await writeFileAtomic(target, updated, '--update <doc>');
        io.stderr.write(`updated the table in ${command.update}\n`);
        return { kind: 'done' };
      }
      io.stdout.write(render(results, command.format, terminalFor(io.stdout, io.env, command)));
      return { kind: 'done' };
    }
    case 'packages': {
      const results = await readResultsFile(resolve(io.cwd, command.file));
      checkScenarios(results, [command.scenario], command.file, 'argument');
      const scenario = results.scenarios.find((s) => s.name === command.scenario)!;
      const measured = scenario.variants.filter((v) => v.packages !== undefined).map((v) => v.id);
      const unknown = command.variants.filter((v) => !measured.includes(v));
      if (unknown.length > 0 || measured.length === 0) {
        throw new UsageError(
          `${command.file} has no package inventory of ${unknown.length > 0 ? unknown.join(', ') : `any variant`} in ${command.scenario}`,
          measured.length > 0 ? `use one of: ${measured.join(', ')}` : 'measure with a stagebench that reads packages, without --no-files',
        );
      }
      const { renderPackages } = await import('../report/packages.js');
      const { tableWidth } = await import('./output.js');
      io.stdout.write(renderPackages(results, command.scenario, command.variants, tableWidth(io.stdout, false)));
      return { kind: 'done' };
    }
    case 'layers':
    case 'steps': {
      const results = await readResultsFile(resolve(io.cwd, command.file));
      checkScenarios(results, command.scenarios, command.file, '--scenario');
      const { terminalFor } = await import('./output.js');
      const view = command.command === 'layers' ? (await import('../report/layers.js')).renderLayers : (await import('../report/steps.js')).renderSteps;
      io.stdout.write(view(results, command.scenarios, terminalFor(io.stdout, io.env, command)));
      return { kind: 'done' };
    }
    case 'claims': {
      const { loadJsonFile } = await import('../config/load.js');
      const { ClaimsFileSchema } = await import('../config/schemas.js');
      const { renderClaims } = await import('../report/claims.js');
      const claimsFile = resolve(io.cwd, command.claimsFile);
      const claims = await loadJsonFile(claimsFile, ClaimsFileSchema, 'claims file', shownPath(io.cwd, claimsFile));
      const text = renderClaims(claims, await readResultsFile(resolve(io.cwd, command.resultsFile)), command.resultsFile);
      if (!command.out) io.stdout.write(text);
      else await writeFileAtomic(resolve(io.cwd, command.out), text, '--out <file>');
      return { kind: 'done' };
    }
    case 'clean':
      return { kind: 'cleanup', problems: await (await import('./clean.js')).cleanCommand(command, io, await engineFor(io, command.engineTimeoutMs, command.context)) };
    case 'init':
      return (await import('./init-command.js')).initCommand(command, io);
    case 'run':
      return (await import('./run-command.js')).runCommand(command, io, await engineFor(io, command.engineTimeoutMs, command.context), packageJson.version);
    case 'compare':
      return (await import('./gate-commands.js')).compareCommand(command, io);
    case 'baseline':
      return (await import('./gate-commands.js')).baselineCommand(command, io);
    case 'merge':
      return (await import('./gate-commands.js')).mergeCommand(command, io);
    case 'chart': {
      const svg = (await import('../report/chart.js')).renderChart(await readResultsFile(resolve(io.cwd, command.file)));
      if (!command.out) io.stdout.write(svg);
      else await writeFileAtomic(resolve(io.cwd, command.out), svg, '--out <file>');
      return { kind: 'done' };
    }
  }
}
