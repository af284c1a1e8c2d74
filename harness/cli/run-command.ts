import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { checkEngine, checkGateKeys, compareWithNotes, gateKeysWarning } from '../compare/baseline-checks.js';
import { configAbove, configElsewhere, useConfigFix } from '../config/config-above.js';
import type { ConfigFile } from '../config/schemas.js';
import { builderLabel, builderUsed, checkBuilderWorks, engineName, storeName } from '../engine/engine-kind.js';
import type { Engine } from '../engine/engine.js';
import { cacheHome, DiskRecordCache } from '../output/record-files.js';
import { ConfigError } from '../errors.js';
import { nearest } from '../format/did-you-mean.js';
import { counted, shownPath } from '../format/shown-path.js';
import { runBench } from '../measure/run-bench.js';
import { type DeployRegistry, startLoopbackRegistry } from '../measure/registry.js';
import { neededServices, startServices } from '../measure/services.js';
import { markUnfinished, ownOutputPaths, publishGateReport, publishResults } from '../output/publish.js';
import { ensureWritableDir, ensureWritableFile } from '../output/write.js';
import { gitState } from '../results/git.js';
import { createProgress } from '../report/progress.js';
import { discoverScenarios, scenarioNames } from '../scenarios/discover.js';
import { pickShard } from '../scenarios/shard.js';
import type { RunArgs } from './args.js';
import type { Outcome } from './exit-code.js';
import { accepted, configAboveNote, loadConfig, readBaseline, refuse } from './gate.js';
import { noteText } from './error-text.js';
import type { CliIo } from './io.js';
import { render, renderGate, terminalFor } from './output.js';

/**
 * The profile asked for, from --profile or STAGEBENCH_PROFILE (whose messages name the variable: nothing on the
 * line set it). `configFile` is absolute: its folder is where the services start (the process's own working
 * directory need not be the run's); `file` is how the messages show it.
 */
function pickProfile(name: string | undefined, fromEnv: boolean, configFile: string, file: string, config: ConfigFile | undefined) {
  if (!name) return undefined;
  const asked = fromEnv ? `STAGEBENCH_PROFILE=${name}` : `--profile ${name}`;
  const instead = fromEnv ? 'unset STAGEBENCH_PROFILE' : 'leave out --profile';
  if (!config) {
    throw new ConfigError(`${asked} needs a config file, and ${file} does not exist`, `${instead}, or create ${file} (\`stagebench init\`; profiles are in the README) or pass --config <file>`);
  }
  const profile = config.profiles?.[name];
  if (!profile) {
    const known = Object.keys(config.profiles ?? {});
    const close = nearest(name, known);
    const defines = known.length === 0 ? 'which defines no profiles' : `which defines ${known.join(', ')}${close ? `: did you mean ${close}?` : ''}`;
    const use = close ? `${fromEnv ? `set STAGEBENCH_PROFILE=${close}` : `pass --profile ${close}`}, ${instead}` : instead;
    throw new ConfigError(`${asked}: no such profile in ${file}, ${defines}`, `${use}, or define "${name}" under "profiles" in ${file} (see the README)`);
  }
  return { name, ...profile, configDir: dirname(configFile) };
}

/** `stagebench run`: measure, write the results after every scenario, and with --baseline compare. */
export async function runCommand(args: RunArgs, io: CliIo, engine: Engine, toolVersion: string): Promise<Outcome> {
  // What the flags say about measuring goes to runBench as it is; the rest is the CLI's.
  const { command: _command, scenariosDir, scenarios: names, outDir: out, format, profile: profileName, profileFromEnv, config: configFlag, shard, baseline: baselineFile, reportFile, allowEngineMismatch, color: _color, wide: _wide, engineTimeoutMs, ...measure } = args;
  const root = resolve(io.cwd, scenariosDir ?? 'scenarios');
  // A folder named on the command line must be there: a typo would otherwise measure only the config's scenarios.
  if (scenariosDir !== undefined && !existsSync(root)) {
    throw new ConfigError(`--scenarios ${scenariosDir}: no such folder`, 'pass the folder that holds one sub-folder per scenario, or leave --scenarios out to use the scenarios the config file declares');
  }
  const { file: configFile, config } = await loadConfig(io.cwd, configFlag);
  // Run from a sub-folder of a repository whose config is higher up: say where it is instead of suggesting a second one.
  const above = config || configFlag ? undefined : configAbove(io.cwd);
  if (above) {
    const elsewhere = configElsewhere(io.cwd, above);
    if (!existsSync(root)) throw new ConfigError(`${elsewhere.message}, and no scenarios/ folder here either`, useConfigFix(elsewhere));
    io.stderr.write(configAboveNote(elsewhere, 'not read', io.stderr));
  }
  const declared = config ? { file: configFile, config } : undefined;
  const profile = pickProfile(profileName, profileFromEnv === true, configFile, shownPath(io.cwd, configFile), config);
  const discovered = await discoverScenarios(root, names, declared, io.cwd);
  const scenarios = shard ? pickShard(discovered, shard) : discovered;
  const available = await scenarioNames(root, declared);
  if (shard && scenarios.length === 0) io.stderr.write(`shard ${shard.index}/${shard.count} has no scenarios (${counted(discovered.length, 'scenario')} in ${shard.count} shards)\n`);
  const gate = config?.gate ?? {};
  const baseline = baselineFile ? await readBaseline(io.cwd, baselineFile) : undefined;
  if (baseline) refuse(checkGateKeys(gate, baseline, scenarios, available));
  else {
    // Nothing is compared, so a misspelt key only warns here; compare and --baseline refuse it.
    const warning = gateKeysWarning(gate, scenarios, available);
    if (warning) io.stderr.write(noteText(`warning: ${warning}`, io.stderr));
  }
  const noChange = measure.modes.includes('incremental') ? scenarios.filter((s) => !s.file.incremental).map((s) => s.name) : [];
  if (noChange.length > 0) {
    throw new ConfigError(`--mode incremental needs "incremental" in scenario.json, and ${noChange.join(', ')} ha${noChange.length > 1 ? 've' : 's'} none`, 'add e.g. "incremental": { "file": "src/app.ts", "line": "// {nonce}" } (see the README), or leave incremental out of --mode');
  }
  const outDir = resolve(io.cwd, out);
  await ensureWritableDir(outDir, `--out ${out}`);
  // The gate report is written after every build: a path it cannot take is refused now, not after the run.
  if (reportFile) await ensureWritableFile(resolve(io.cwd, reportFile), '--report <file>');
  const terminal = terminalFor(io.stdout, io.env, args);
  // Redrawn in place on a terminal (colour or not), cut to its width; plain lines otherwise.
  const progress = createProgress(io.stderr, !!io.stderr.isTTY && io.env.TERM !== 'dumb' && format !== 'json', () => io.stderr.columns ?? 80);
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => {
    progress.line('interrupted: cancelling the running step, keeping the results so far, cleaning up');
    controller.abort();
  });
  let stopServices = async () => {};
  try {
    const facts = await engine.facts(controller.signal); // fail fast, before any service starts, when the engine is unreachable
    const used = builderUsed(facts, measure.builder);
    progress.line(`engine: ${engineName(facts)} at ${facts.address ?? '?'} (${storeName(facts)}), builder ${builderLabel({ builder: measure.builder, builderUsed: used })}`);
    // A builder the engine cannot run, or a baseline from another engine, is refused before anything is built.
    checkBuilderWorks(facts, measure.builder);
    const notes = baseline ? accepted(checkEngine(baselineFile!, baseline, { engine: facts, builder: measure.builder, builderUsed: used }, allowEngineMismatch)) : [];
    const services = profile ? neededServices(profile, scenarios) : [];
    if (services.length > 0) stopServices = await startServices(services, profile!.configDir, (l) => progress.line(l), controller.signal);
    // --deploy: a loopback registry for this run only, stopped (and its storage removed) with the services.
    let registry: DeployRegistry | undefined;
    if (measure.deploy) {
      const stopOthers = stopServices;
      registry = await (io.startRegistry ?? startLoopbackRegistry)(controller.signal, io.env, { timeoutMs: engineTimeoutMs });
      progress.line(`deploy: ${registry.version} on ${registry.address}`);
      const started = registry;
      stopServices = async () => {
        await started.stop();
        await stopOthers();
      };
    }
    // Interrupted before anything was measured: leave the last results file as it was.
    if (controller.signal.aborted) return { kind: 'interrupted' };
    // Where per-layer findings persist between runs (pull sizes, file listings); none without a home.
    const cacheRoot = cacheHome(io.env);
    const results = await runBench(engine, facts, {
      ...measure,
      scenarios,
      profile,
      selection: { available, ...(shard ? { shard } : {}) },
      git: await gitState(io.cwd),
      toolVersion,
      signal: controller.signal,
      pid: process.pid,
      progress,
      ownOutput: ownOutputPaths(outDir, reportFile ? resolve(io.cwd, reportFile) : undefined),
      ...(registry ? { registry } : {}),
      ...(cacheRoot ? { layerRecords: new DiskRecordCache(join(cacheRoot, 'layers'), undefined, (problem) => progress.line(`note: ${problem}`)) } : {}),
      save: async (r) => {
        try {
          await publishResults(outDir, r);
        } catch (err) {
          // What is on disk says "running": mark it unfinished, or say that it is not.
          const marked = await markUnfinished(outDir, r, err);
          if (marked.length === 0) progress.line(`note: ${join(out, 'latest.json')} may still say status "running": this run did not finish saving`);
          throw err;
        }
      },
    });
    progress.stop();
    io.stderr.write(`results: ${join(out, 'latest.json')} and ${join(out, 'latest.md')}\n`);
    // The run id is printed nowhere else: say where the kept images are and how they go.
    const keptImages = measure.keepImages ? results.scenarios.flatMap((sc) => sc.variants).filter((v) => v.status === 'ok' && v.imageTag).length : 0;
    if (keptImages > 0) {
      const id = results.run.id;
      io.stderr.write(`kept ${keptImages} image(s), tagged stagebench/<scenario>:<variant>-${id}; \`stagebench clean ${id}\` removes them\n`);
    }
    if (!baseline || results.run.status === 'interrupted') {
      if (baseline) io.stderr.write('interrupted: not compared with the baseline\n');
      io.stdout.write(render(results, format, terminal));
      return { kind: 'results', results };
    }
    const report = compareWithNotes(baseline, results, gate, notes);
    await publishGateReport(report, { cwd: io.cwd, ...(reportFile ? { reportFile } : {}), stepSummary: io.env.GITHUB_STEP_SUMMARY });
    const gateText = renderGate(report, format, terminal, io.env);
    io.stderr.write(gateText.stderr);
    io.stdout.write(format === 'json' ? `${JSON.stringify({ results, comparison: report }, null, 2)}\n` : `${render(results, format, terminal)}\n${gateText.stdout}`);
    return { kind: 'results', results, verdict: report.verdict };
  } finally {
    progress.stop();
    stopListening();
    await stopServices();
  }
}
