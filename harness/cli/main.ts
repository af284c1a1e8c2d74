import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClaimsFileSchema } from '../config/schemas.js';
import { loadJsonFile } from '../config/load.js';
import { DockerEngine } from '../engine/docker-engine.js';
import { StagebenchError, UsageError } from '../errors.js';
import { writeAtomic } from '../output/write.js';
import { readResults } from '../results/io.js';
import type { Results } from '../results/schema.js';
import { renderChart } from '../report/chart.js';
import { renderClaims } from '../report/claims.js';
import { renderLayers } from '../report/layers.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSteps } from '../report/steps.js';
import { END, replaceBetweenMarkers, START } from '../report/markers.js';
import { parseCommand } from './args.js';
import { cleanCommand } from './clean.js';
import { exitCode, type Outcome } from './exit-code.js';
import { baselineCommand, compareCommand, mergeCommand } from './gate-commands.js';
import { commandHelp, globalHelp } from './help.js';
import type { CliIo } from './io.js';
import { colorOn, render, terminalFor } from './output.js';
import { runCommand } from './run-command.js';

const packageJson = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8')) as { version: string };

const wantsJson = (argv: string[]) => argv.includes('--format=json') || argv.some((a, i) => a === '--format' && argv[i + 1] === 'json');

/** Every scenario named is in the results; else a usage error naming what there is. */
function checkScenarios(results: Results, names: string[], file: string): void {
  const known = results.scenarios.map((s) => s.name);
  const absent = names.filter((n) => !known.includes(n));
  if (absent.length > 0) {
    throw new UsageError(`${file} has no scenario ${absent.map((n) => `"${n}"`).join(', ')}`, `it has ${known.join(', ') || 'no scenarios'}; pass one of those to --scenario`);
  }
}

/**
 * A closed stdout (`stagebench report | head -1`) is not a failure of the tool: stop writing, say nothing,
 * and exit 141 as a shell does for a tool stopped by SIGPIPE. A run goes on to write its results and clean up.
 */
function guardPipe(io: CliIo): { io: CliIo; closed: () => boolean; settled: () => Promise<void> } {
  let closed = false;
  io.stdout.on?.('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
  });
  const stdout = Object.assign(Object.create(io.stdout) as CliIo['stdout'], { write: (text: string) => (closed ? true : io.stdout.write(text)) });
  // The error of a write is reported a tick later: wait for it before choosing the exit code.
  const settled = () => new Promise<void>((done) => setImmediate(done));
  return { io: { ...io, stdout }, closed: () => closed, settled };
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
    if (known) io.stderr.write(`stagebench: ${err.message}\n${err.hint ? `  fix: ${err.hint}\n` : ''}`);
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
      const results = await readResults(resolve(io.cwd, command.file));
      if (command.update) {
        const target = resolve(io.cwd, command.update);
        if (!existsSync(target)) throw new UsageError(`--update ${command.update}: no such file`, 'pass the document whose stagebench table should be replaced');
        const updated = replaceBetweenMarkers(readFileSync(target, 'utf8'), renderMarkdown(results));
        if (updated === undefined) throw new UsageError(`${command.update} has no ${START} … ${END} markers`, 'add both marker lines where the table should go');
        await writeAtomic(target, updated);
        io.stderr.write(`updated the table in ${command.update}\n`);
        return { kind: 'done' };
      }
      io.stdout.write(render(results, command.format, terminalFor(io.stdout, io.env, command)));
      return { kind: 'done' };
    }
    case 'layers':
    case 'steps': {
      const results = await readResults(resolve(io.cwd, command.file));
      checkScenarios(results, command.scenarios, command.file);
      const view = command.command === 'layers' ? renderLayers : renderSteps;
      io.stdout.write(view(results, command.scenarios, { color: colorOn(io.stdout, io.env, command.color) }));
      return { kind: 'done' };
    }
    case 'claims': {
      const claims = await loadJsonFile(resolve(io.cwd, command.claimsFile), ClaimsFileSchema, 'claims file');
      const text = renderClaims(claims, await readResults(resolve(io.cwd, command.resultsFile)), command.resultsFile);
      if (!command.out) io.stdout.write(text);
      else await writeAtomic(resolve(io.cwd, command.out), text);
      return { kind: 'done' };
    }
    case 'clean':
      return { kind: 'cleanup', problems: await cleanCommand(command, io, io.engine ?? new DockerEngine(io.env, { timeoutMs: command.engineTimeoutMs })) };
    case 'run':
      return runCommand(command, io, io.engine ?? new DockerEngine(io.env, { timeoutMs: command.engineTimeoutMs }), packageJson.version);
    case 'compare':
      return compareCommand(command, io);
    case 'baseline':
      return baselineCommand(command, io);
    case 'merge':
      return mergeCommand(command, io);
    case 'chart': {
      const svg = renderChart(await readResults(resolve(io.cwd, command.file)));
      if (!command.out) io.stdout.write(svg);
      else await writeAtomic(resolve(io.cwd, command.out), svg);
      return { kind: 'done' };
    }
  }
}
