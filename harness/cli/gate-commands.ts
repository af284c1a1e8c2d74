import { join, resolve } from 'node:path';
import { configAbove, configElsewhere } from '../config/config-above.js';
import { checkBaselineCandidate, compareWithBaseline } from '../compare/baseline-checks.js';
import { ensureWritableDir, writeAtomic } from '../output/write.js';
import { publishGateReport, publishResults } from '../output/publish.js';
import { readResults, serializeResults } from '../results/io.js';
import { mergeResults } from '../results/merge.js';
import type { BaselineArgs, CompareArgs, MergeArgs } from './args.js';
import type { Outcome } from './exit-code.js';
import { configAboveNote, loadConfig, readBaseline, refuse, refused } from './gate.js';
import { noteText } from './error-text.js';
import type { CliIo } from './io.js';
import { render, renderGate, terminalFor } from './output.js';

export async function compareCommand(args: CompareArgs, io: CliIo): Promise<Outcome> {
  const { config } = await loadConfig(io.cwd, args.config);
  // A config higher up is not read: its gate rules would silently not apply, so say so.
  const above = config || args.config ? undefined : configAbove(io.cwd);
  if (above) {
    const elsewhere = configElsewhere(io.cwd, above);
    io.stderr.write(configAboveNote(elsewhere, 'not read: the default gate rules apply', io.stderr));
  }
  const gate = config?.gate ?? {};
  const baseline = await readBaseline(io.cwd, args.baseline);
  const current = await readResults(resolve(io.cwd, args.current));
  const decision = compareWithBaseline({ file: args.baseline, baseline, current, gate, allowMismatch: args.allowEngineMismatch });
  if ('refusal' in decision) refused(decision.refusal);
  const { report } = decision;
  await publishGateReport(report, { cwd: io.cwd, ...(args.reportFile ? { reportFile: args.reportFile } : {}), stepSummary: io.env.GITHUB_STEP_SUMMARY });
  const text = renderGate(report, args.format, terminalFor(io.stdout, io.env, args), io.env);
  io.stderr.write(text.stderr);
  io.stdout.write(text.stdout);
  return { kind: 'verdict', verdict: report.verdict };
}

export async function baselineCommand(args: BaselineArgs, io: CliIo): Promise<Outcome> {
  const results = await readResults(resolve(io.cwd, args.from));
  refuse(checkBaselineCandidate(args.from, results));
  await writeAtomic(resolve(io.cwd, args.baseline), serializeResults(results), '--baseline <file>');
  const left = (results.selection?.available ?? []).filter((n) => !results.scenarios.some((s) => s.name === n));
  if (left.length > 0) io.stderr.write(noteText(`note: the baseline has no ${left.join(', ')} (left out of that run): they will be "new" when compared`, io.stderr));
  // Accepted (a baseline may be made before a commit), but its numbers are of files no commit holds.
  if (results.git?.dirty) {
    io.stderr.write(noteText(`note: run ${results.run.id} was measured from a working tree with uncommitted changes (git.dirty: true): the baseline's numbers may be of files commit ${results.git.commit.slice(0, 12)} does not hold; commit them, run again and update the baseline if that matters`, io.stderr));
  }
  io.stderr.write(noteText(`wrote ${args.baseline} from run ${results.run.id} of ${results.createdAt}${results.git ? `, commit ${results.git.commit.slice(0, 12)}` : ''}; commit it`, io.stderr));
  return { kind: 'done' };
}

export async function mergeCommand(args: MergeArgs, io: CliIo): Promise<Outcome> {
  const inputs = [];
  for (const file of args.files) inputs.push({ file, results: await readResults(resolve(io.cwd, file)) });
  const merged = mergeResults(inputs);
  const outDir = resolve(io.cwd, args.outDir);
  await ensureWritableDir(outDir, `--out ${args.outDir}`);
  await publishResults(outDir, merged);
  io.stderr.write(`merged ${args.files.length} files into ${join(args.outDir, 'latest.json')}\n`);
  io.stdout.write(render(merged, args.format, terminalFor(io.stdout, io.env, args)));
  return { kind: 'results', results: merged };
}
