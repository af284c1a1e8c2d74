import { join, resolve } from 'node:path';
import type { GateReport } from '../compare/compare.js';
import { renderGateMarkdown } from '../report/gate.js';
import { renderMarkdown } from '../report/markdown.js';
import { serializeResults } from '../results/io.js';
import type { Results } from '../results/schema.js';
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../errors.js';
import { appendText, overwriteInPlace, writeAtomic } from './write.js';

/** What a run writes into its --out folder (publishResults); left out of a build context that is that folder. */
export const OUT_ENTRIES = ['latest.json', 'latest.md', 'runs'];

/**
 * What this run writes, as absolute paths: the --out folder (its entries too, for an --out that is a context
 * itself) and the --report file. Never sent in a build context (engine/build-context.ts ownOutputIn).
 */
export function ownOutputPaths(outDir: string, reportFile?: string): string[] {
  return [outDir, ...OUT_ENTRIES.map((e) => join(outDir, e)), ...(reportFile ? [reportFile] : [])];
}

/** The Markdown twin of a results file: `latest.json` -> `latest.md`. */
export const markdownPathOf = (jsonFile: string) => jsonFile.replace(/\.json$/, '.md');

/**
 * `<out>/runs/<createdAt>.json`, `<out>/latest.json` and `<out>/latest.md`; the JSON is validated first,
 * since the file is the contract. Returns the path of latest.json.
 */
export async function writeResults(outDir: string, results: Results): Promise<string> {
  // A run in progress leaves room (trailing spaces, which JSON ignores) to be marked unfinished in place
  // should a later write fail for want of space: see markUnfinished.
  const json = serializeResults(results) + (results.run.status === 'running' ? `${' '.repeat(UNFINISHED_ROOM)}\n` : '');
  await writeAtomic(runFileOf(outDir, results), json);
  const latest = join(outDir, 'latest.json');
  await writeAtomic(latest, json);
  return latest;
}

const UNFINISHED_ROOM = 512;
const runFileOf = (outDir: string, results: Results) => join(outDir, 'runs', `${results.createdAt.replace(/[:.]/g, '-')}.json`);

/**
 * The results could not be saved (e.g. the disk filled up mid-run): what is on disk says "running", which
 * would stay true forever. Rewrites the last saved files in place, same scenarios, as status "error" with the
 * reason. Best effort: returns the files it marked.
 */
export async function markUnfinished(outDir: string, results: Results, reason: unknown): Promise<string[]> {
  const marked: string[] = [];
  for (const file of [runFileOf(outDir, results), join(outDir, 'latest.json')]) {
    try {
      const saved = JSON.parse(await readFile(file, 'utf8')) as Results;
      if (saved.run.id !== results.run.id) continue;
      if (saved.run.status === 'error' && saved.run.error?.startsWith('unfinished:')) {
        marked.push(file); // marked by an earlier failed save
        continue;
      }
      if (saved.run.status !== 'running') continue;
      saved.run = { id: saved.run.id, status: 'error', error: `unfinished: the results could not be saved (${errorMessage(reason)})`.slice(0, UNFINISHED_ROOM - 100) };
      if (await overwriteInPlace(file, serializeResults(saved))) marked.push(file);
    } catch {
      // nothing saved yet, or unreadable: nothing to mark
    }
  }
  return marked;
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
  if (where.reportFile) await writeAtomic(resolve(where.cwd, where.reportFile), markdown, '--report <file>');
  if (where.stepSummary) await appendText(where.stepSummary, `${markdown}\n`);
}
