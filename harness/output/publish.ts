import { join, resolve } from 'node:path';
import type { GateReport } from '../compare/compare.js';
import { renderGateMarkdown } from '../report/gate.js';
import { renderMarkdown } from '../report/markdown.js';
import { serializeResults } from '../results/io.js';
import type { Results } from '../results/schema.js';
import { appendText, writeAtomic } from './write.js';

/** The Markdown twin of a results file: `latest.json` -> `latest.md`. */
export const markdownPathOf = (jsonFile: string) => jsonFile.replace(/\.json$/, '.md');

/**
 * `<out>/runs/<createdAt>.json`, `<out>/latest.json` and `<out>/latest.md`; the JSON is validated first,
 * since the file is the contract. Returns the path of latest.json.
 */
export async function writeResults(outDir: string, results: Results): Promise<string> {
  const json = serializeResults(results);
  const stamp = results.createdAt.replace(/[:.]/g, '-');
  await writeAtomic(join(outDir, 'runs', `${stamp}.json`), json);
  const latest = join(outDir, 'latest.json');
  await writeAtomic(latest, json);
  return latest;
}

/** The results files and their Markdown table, as `run` and `merge` leave them. */
export async function publishResults(outDir: string, results: Results): Promise<string> {
  const latest = await writeResults(outDir, results);
  await writeAtomic(markdownPathOf(latest), renderMarkdown(results));
  return latest;
}

/** The gate report as Markdown in --report <file> and appended to the GitHub job summary, when asked for. */
export async function publishGateReport(report: GateReport, where: { cwd: string; reportFile?: string; stepSummary?: string }): Promise<void> {
  if (!where.reportFile && !where.stepSummary) return;
  const markdown = renderGateMarkdown(report);
  if (where.reportFile) await writeAtomic(resolve(where.cwd, where.reportFile), markdown);
  if (where.stepSummary) await appendText(where.stepSummary, `${markdown}\n`);
}
