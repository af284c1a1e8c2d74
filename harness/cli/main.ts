import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClaimsFileSchema, type ConfigFile } from '../config/schemas.js';
import { loadJsonFile } from '../config/load.js';
import { DockerEngine } from '../engine/docker-engine.js';
import { builderLabel, builderUsed, checkBuilderWorks, engineName, storeName } from '../engine/engine-kind.js';
import type { Engine } from '../engine/engine.js';
import { ConfigError, ExitCode, StagebenchError, UsageError } from '../errors.js';
import { runBench } from '../measure/run-bench.js';
import { LABEL } from '../measure/variant.js';
import { startServices } from '../measure/services.js';
import { gitState } from '../results/git.js';
import { ensureWritableDir, readResults, writeAtomic } from '../results/io.js';
import { renderChart } from '../report/chart.js';
import { renderClaims } from '../report/claims.js';
import { renderLayers } from '../report/layers.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSteps } from '../report/steps.js';
import { END, replaceBetweenMarkers, START } from '../report/markers.js';
import { createProgress, type TextSink } from '../report/progress.js';
import { discoverScenarios, scenarioNames } from '../scenarios/discover.js';
import { pickShard } from '../scenarios/shard.js';
import { parseCommand, type RunArgs } from './args.js';
import { checkGateKeys, engineCheck, gate, loadConfig, publishGate, readBaseline } from './gate.js';
import { baselineCommand, compareCommand, mergeCommand } from './gate-commands.js';
import { exitCodeOf, render, styled, verdictExitCode } from './output.js';
import { HELP } from './help.js';

export interface CliIo {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: TextSink & { isTTY?: boolean };
  stderr: TextSink & { isTTY?: boolean };
  /** Calls the handler on Ctrl-C or SIGTERM; returns a function that stops listening. */
  onInterrupt(handler: () => void): () => void;
  /** Tests may pass their own engine; the default talks to DOCKER_HOST or the local socket. */
  engine?: Engine;
}

const packageJson = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8')) as { version: string };

function pickProfile(name: string | undefined, file: string, config: ConfigFile | undefined) {
  if (!name) return undefined;
  if (!config) {
    throw new ConfigError(`--profile ${name} needs a config file, and ${file} does not exist`, 'create stagebench.config.json (see the README) or pass --config <file>');
  }
  const profile = config.profiles?.[name];
  if (!profile) {
    const known = Object.keys(config.profiles ?? {});
    throw new ConfigError(`profile "${name}" is not in ${file}`, `use one of: ${known.join(', ') || '(none defined)'}`);
  }
  return { name, ...profile, configDir: dirname(file) };
}

async function runCommand(args: RunArgs, io: CliIo, engine: Engine): Promise<number> {
  const root = resolve(io.cwd, args.scenariosDir);
  const { file: configFile, config } = await loadConfig(io.cwd, args.config);
  const declared = config ? { file: configFile, config } : undefined;
  const discovered = await discoverScenarios(root, args.scenarios, declared);
  const scenarios = args.shard ? pickShard(discovered, args.shard) : discovered;
  const available = await scenarioNames(root, declared);
  if (args.shard && scenarios.length === 0) io.stderr.write(`shard ${args.shard.index}/${args.shard.count} has no scenarios (${discovered.length} scenario(s) in ${args.shard.count} shards)\n`);
  const profile = pickProfile(args.profile, configFile, config);
  const baseline = args.baseline ? await readBaseline(io.cwd, args.baseline) : undefined;
  if (baseline) checkGateKeys(config?.gate ?? {}, baseline, scenarios, available);
  const noChange = args.modes.includes('incremental') ? scenarios.filter((s) => !s.file.incremental).map((s) => s.name) : [];
  if (noChange.length > 0) {
    throw new ConfigError(`--mode incremental needs "incremental" in scenario.json, and ${noChange.join(', ')} ha${noChange.length > 1 ? 've' : 's'} none`, 'add e.g. "incremental": { "file": "src/app.ts", "line": "// {nonce}" } (see the README), or leave incremental out of --mode');
  }
  const outDir = resolve(io.cwd, args.outDir);
  await ensureWritableDir(outDir, `--out ${args.outDir}`);
  const color = styled(io.stdout, io.env, args.format);
  const progress = createProgress(io.stderr, styled(io.stderr, io.env, args.format));
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => {
    progress.line('interrupted: cancelling the running step, keeping the results so far, cleaning up');
    controller.abort();
  });
  let stopServices = async () => {};
  try {
    const facts = await engine.facts(); // fail fast, before any service starts, when the engine is unreachable
    progress.line(`engine: ${engineName(facts)} at ${facts.address ?? '?'} (${storeName(facts)}), builder ${builderLabel({ builder: args.builder, builderUsed: builderUsed(facts, args.builder) })}`);
    // A builder the engine cannot run, or a baseline from another engine, is refused before anything is built.
    checkBuilderWorks(facts, args.builder);
    if (baseline) engineCheck(args.baseline!, baseline, { engine: facts, builder: args.builder, builderUsed: builderUsed(facts, args.builder) }, args.allowEngineMismatch);
    if (profile?.services) stopServices = await startServices(profile.services, profile.configDir, (l) => progress.line(l), controller.signal);
    // Interrupted before anything was measured: leave the last results file as it was.
    if (controller.signal.aborted) return ExitCode.interrupted;
    const results = await runBench(engine, facts, {
      scenarios,
      builder: args.builder,
      outDir,
      keepImages: args.keepImages,
      smoke: args.smoke,
      noCache: args.noCache,
      runs: args.runs,
      warmup: args.warmup,
      modes: args.modes,
      compressed: args.compressed,
      profile,
      selection: { available, ...(args.shard ? { shard: args.shard } : {}) },
      git: await gitState(io.cwd),
      toolVersion: packageJson.version,
      signal: controller.signal,
      progress,
      onWrite: (file, results) => writeAtomic(file.replace(/\.json$/, '.md'), renderMarkdown(results)),
    });
    progress.stop();
    io.stderr.write(`results: ${join(args.outDir, 'latest.json')} and ${join(args.outDir, 'latest.md')}\n`);
    if (!baseline || results.run.status === 'interrupted') {
      if (baseline) io.stderr.write('interrupted: not compared with the baseline\n');
      io.stdout.write(render(results, args.format, color));
      return exitCodeOf(results);
    }
    const report = gate(baseline, results, config?.gate ?? {}, { file: args.baseline!, allowMismatch: args.allowEngineMismatch });
    const text = await publishGate(report, io, { format: args.format, color, ...(args.reportFile ? { reportFile: args.reportFile } : {}) });
    io.stdout.write(args.format === 'json' ? `${JSON.stringify({ results, comparison: report }, null, 2)}\n` : `${render(results, args.format, color)}\n${text}`);
    // Both outcomes count: a failed build (3) outranks a regression (1).
    return Math.max(exitCodeOf(results), verdictExitCode(report.verdict));
  } finally {
    progress.stop();
    stopListening();
    await stopServices();
  }
}

const wantsJson = (argv: string[]) => argv.includes('--format=json') || argv.some((a, i) => a === '--format' && argv[i + 1] === 'json');

/** The whole CLI: parses io.argv, does the work, and returns the exit code. Never calls process.exit. */
export async function run(io: CliIo): Promise<number> {
  try {
    const command = parseCommand(io.argv, io.env);
    switch (command.command) {
      case 'help':
        io.stdout.write(HELP);
        return ExitCode.ok;
      case 'version':
        io.stdout.write(`${packageJson.version}\n`);
        return ExitCode.ok;
      case 'report': {
        const results = await readResults(resolve(io.cwd, command.file));
        if (command.update) {
          const target = resolve(io.cwd, command.update);
          if (!existsSync(target)) throw new UsageError(`--update ${command.update}: no such file`, 'pass the document whose stagebench table should be replaced');
          const updated = replaceBetweenMarkers(readFileSync(target, 'utf8'), renderMarkdown(results));
          if (updated === undefined) throw new UsageError(`${command.update} has no ${START} … ${END} markers`, 'add both marker lines where the table should go');
          await writeAtomic(target, updated);
          io.stderr.write(`updated the table in ${command.update}\n`);
          return ExitCode.ok;
        }
        io.stdout.write(render(results, command.format, styled(io.stdout, io.env, command.format)));
        return ExitCode.ok;
      }
      case 'layers':
      case 'steps': {
        const results = await readResults(resolve(io.cwd, command.file));
        const view = command.command === 'layers' ? renderLayers : renderSteps;
        io.stdout.write(view(results, command.scenarios, { color: styled(io.stdout, io.env) }));
        return ExitCode.ok;
      }
      case 'claims': {
        const claims = await loadJsonFile(resolve(io.cwd, command.claimsFile), ClaimsFileSchema, 'claims file');
        io.stdout.write(renderClaims(claims, await readResults(resolve(io.cwd, command.resultsFile)), command.resultsFile));
        return ExitCode.ok;
      }
      case 'clean': {
        const engine = io.engine ?? new DockerEngine(io.env);
        const problems = await engine.cleanup({ containers: [], images: [] }, 0, [LABEL, 'true']);
        for (const p of problems) io.stderr.write(`cleanup: ${p}\n`);
        return problems.length > 0 ? ExitCode.engine : ExitCode.ok;
      }
      case 'run':
        return await runCommand(command, io, io.engine ?? new DockerEngine(io.env));
      case 'compare':
        return await compareCommand(command, io);
      case 'baseline':
        return await baselineCommand(command, io);
      case 'merge':
        return await mergeCommand(command, io);
      case 'chart':
        io.stdout.write(renderChart(await readResults(resolve(io.cwd, command.file))));
        return ExitCode.ok;
    }
  } catch (err) {
    const known = err instanceof StagebenchError;
    const exitCode = known ? err.exitCode : ExitCode.engine;
    if (known) io.stderr.write(`stagebench: ${err.message}\n${err.hint ? `  fix: ${err.hint}\n` : ''}`);
    else io.stderr.write(`stagebench: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    // Whoever asked for JSON on stdout gets JSON, also when there are no results to give.
    if (wantsJson(io.argv)) {
      const error = { message: (err as Error).message, ...(known && err.hint ? { hint: err.hint } : {}), exitCode };
      io.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
    }
    return exitCode;
  }
}
