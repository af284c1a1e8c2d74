import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { compareResults, type GateReport } from '../compare/compare.js';
import { type GateConfig, unknownGateKeys } from '../compare/rules.js';
import { ConfigFileSchema, type ConfigFile } from '../config/schemas.js';
import { loadJsonFile } from '../config/load.js';
import { ConfigError, EngineError } from '../errors.js';
import { engineDifferences, engineNotes } from '../results/comparable.js';
import { readResults, writeAtomic } from '../results/io.js';
import type { Results } from '../results/schema.js';
import { renderAnnotations } from '../report/annotations.js';
import { renderGateMarkdown, renderGateTerminal } from '../report/gate.js';
import { BASELINE_FILE, type Format } from './args.js';

/** The config file: --config (must exist) or ./stagebench.config.json when there is one. */
export async function loadConfig(cwd: string, flag: string | undefined): Promise<{ file: string; config: ConfigFile | undefined }> {
  const file = flag ? resolve(cwd, flag) : join(cwd, 'stagebench.config.json');
  if (!existsSync(file)) {
    if (flag) throw new ConfigError(`--config ${flag}: no such file`, 'pass the path of your stagebench.config.json');
    return { file, config: undefined };
  }
  return { file, config: await loadJsonFile(file, ConfigFileSchema, 'config file') };
}

/** The baseline results file; its absence is a config error that says how to make one. */
export async function readBaseline(cwd: string, file: string): Promise<Results> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) {
    throw new ConfigError(`--baseline ${file}: no such file`, `make one from a good run with \`stagebench baseline update\` (writes ${BASELINE_FILE}) and commit it`);
  }
  return readResults(path);
}

/** A baseline from another engine is refused (a ConfigError) unless allowed; allowed, it is a note in the report. */
export function engineCheck(file: string, baseline: Results, measured: Pick<Results, 'engine' | 'builder' | 'builderUsed'>, allowMismatch: boolean): string[] {
  const diffs = engineDifferences(baseline, measured);
  if (diffs.length === 0) return engineNotes(baseline, measured);
  if (!allowMismatch) {
    throw new ConfigError(
      `the baseline ${file} was measured on another engine (${diffs.join('; ')}): its sizes are not comparable with this one's`,
      'refresh the baseline on this engine (stagebench baseline update), or pass --allow-engine-mismatch to compare anyway',
    );
  }
  return [`compared across engines (--allow-engine-mismatch): ${diffs.join('; ')}`];
}

/** Every key of gate.scenarios must name a scenario (or variant) of the baseline or this run. */
export function checkGateKeys(config: GateConfig, baseline: Results, current: { name: string; variants: { id: string }[] }[], available: string[]): void {
  // Scenarios this run leaves out (--shard, --scenario) are known by name only.
  const known = new Map<string, string[] | undefined>(available.map((name) => [name, undefined]));
  for (const s of [...baseline.scenarios, ...current]) known.set(s.name, [...(known.get(s.name) ?? []), ...s.variants.map((v) => v.id)]);
  const unknown = unknownGateKeys(config, known);
  if (unknown.length > 0) {
    throw new ConfigError(`gate.scenarios names what is neither in the baseline nor in this run: ${unknown.join(', ')}`, 'use "<scenario>" or "<scenario>/<variant>" with names from the results, remove the entry, or pass --config <file> with the rules for these scenarios');
  }
}

/** Compares, after checking the engine and the gate's keys. */
export function gate(baseline: Results, current: Results, config: GateConfig, opts: { file: string; allowMismatch: boolean }): GateReport {
  if (current.run.status !== 'complete') {
    // Part of it was never measured: comparing what is there would pass what was not.
    throw new EngineError(`the results to compare come from a run that is ${current.run.status}${current.run.error ? ` (${current.run.error})` : ''}: not everything was measured`, 'run `stagebench run` again and compare its results');
  }
  const notes = engineCheck(opts.file, baseline, current, opts.allowMismatch);
  checkGateKeys(config, baseline, current.scenarios, current.selection?.available ?? []);
  const report = compareResults(baseline, current, config);
  return { ...report, notes: [...notes, ...report.notes] };
}

/**
 * Puts the report where it is wanted: the returned text for stdout, --report <file> (Markdown), the GitHub
 * job summary (appended) and annotations when running in GitHub Actions.
 */
export async function publishGate(
  report: GateReport,
  io: { env: Record<string, string | undefined>; cwd: string; stderr: { write(s: string): unknown } },
  opts: { format: Format; color: boolean; reportFile?: string },
): Promise<string> {
  const markdown = renderGateMarkdown(report);
  if (opts.reportFile) await writeAtomic(resolve(io.cwd, opts.reportFile), markdown);
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (summary) await appendFile(summary, `${markdown}\n`);
  const annotations = io.env.GITHUB_ACTIONS === 'true' ? renderAnnotations(report) : '';
  // Workflow commands are read from stdout; JSON on stdout must stay JSON, so they go to stderr then.
  if (opts.format === 'json') {
    io.stderr.write(annotations);
    return `${JSON.stringify(report, null, 2)}\n`;
  }
  return annotations + (opts.format === 'markdown' ? markdown : renderGateTerminal(report, { color: opts.color }));
}
