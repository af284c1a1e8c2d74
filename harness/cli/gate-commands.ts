import { join, resolve } from 'node:path';
import { ConfigError, ExitCode } from '../errors.js';
import { ensureWritableDir, readResults, writeAtomic, writeResults } from '../results/io.js';
import { mergeResults } from '../results/merge.js';
import { renderMarkdown } from '../report/markdown.js';
import type { BaselineArgs, CompareArgs, MergeArgs } from './args.js';
import { gate, loadConfig, publishGate, readBaseline } from './gate.js';
import type { CliIo } from './main.js';
import { brokenVariants, exitCodeOf, render, styled, verdictExitCode } from './output.js';

export async function compareCommand(args: CompareArgs, io: CliIo): Promise<number> {
  const { config } = await loadConfig(io.cwd, args.config);
  const baseline = await readBaseline(io.cwd, args.baseline);
  const current = await readResults(resolve(io.cwd, args.current));
  const report = gate(baseline, current, config?.gate ?? {}, { file: args.baseline, allowMismatch: args.allowEngineMismatch });
  const color = styled(io.stdout, io.env, args.format);
  io.stdout.write(await publishGate(report, io, { format: args.format, color, ...(args.reportFile ? { reportFile: args.reportFile } : {}) }));
  return verdictExitCode(report.verdict);
}

/** Only a complete run where everything built and worked becomes the baseline: anything else would hide regressions. */
export async function baselineCommand(args: BaselineArgs, io: CliIo): Promise<number> {
  const results = await readResults(resolve(io.cwd, args.from));
  const broken = brokenVariants(results);
  if (results.run.status !== 'complete' || broken.length > 0) {
    const why = results.run.status !== 'complete' ? `the run is ${results.run.status}` : `${broken.join(', ')} did not build or pass the smoke check`;
    throw new ConfigError(`${args.from} cannot be the baseline: ${why}`, 'fix it and run `stagebench run` again, then `stagebench baseline update`');
  }
  const shard = results.selection?.shard;
  if (shard && shard.count > 1) {
    throw new ConfigError(`${args.from} holds only shard ${shard.index}/${shard.count}: as a baseline, the other shards' scenarios would be "new" for ever`, 'merge the shards first (stagebench merge a.json b.json …), then make the merged file the baseline');
  }
  await writeAtomic(resolve(io.cwd, args.baseline), `${JSON.stringify(results, null, 2)}\n`);
  const left = (results.selection?.available ?? []).filter((n) => !results.scenarios.some((s) => s.name === n));
  if (left.length > 0) io.stderr.write(`note: the baseline has no ${left.join(', ')} (left out of that run): they will be "new" when compared\n`);
  io.stderr.write(`wrote ${args.baseline} from run ${results.run.id} of ${results.createdAt}${results.git ? `, commit ${results.git.commit.slice(0, 12)}` : ''}; commit it\n`);
  return ExitCode.ok;
}

export async function mergeCommand(args: MergeArgs, io: CliIo): Promise<number> {
  const inputs = [];
  for (const file of args.files) inputs.push({ file, results: await readResults(resolve(io.cwd, file)) });
  const merged = mergeResults(inputs);
  const outDir = resolve(io.cwd, args.outDir);
  await ensureWritableDir(outDir, `--out ${args.outDir}`);
  const file = await writeResults(outDir, merged);
  await writeAtomic(file.replace(/\.json$/, '.md'), renderMarkdown(merged));
  io.stderr.write(`merged ${args.files.length} files into ${join(args.outDir, 'latest.json')}\n`);
  io.stdout.write(render(merged, args.format, styled(io.stdout, io.env, args.format)));
  return exitCodeOf(merged);
}
