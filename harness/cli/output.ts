import type { Level } from '../compare/compare.js';
import { ExitCode } from '../errors.js';
import type { Results } from '../results/schema.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import type { Format } from './args.js';

/** Renders results for stdout in the format asked. */
export function render(results: Results, format: Format, color: boolean): string {
  if (format === 'json') return `${JSON.stringify(results, null, 2)}\n`;
  if (format === 'markdown') return renderMarkdown(results);
  return renderTerminal(results, { color });
}

/** Colour and redrawn progress only on a terminal, without NO_COLOR, and never in JSON mode. */
export const styled = (stream: { isTTY?: boolean }, env: Record<string, string | undefined>, format: Format = 'table') => !!stream.isTTY && env.NO_COLOR === undefined && format !== 'json';

/** "scenario/variant" of every variant that did not build or failed its smoke check. */
export const brokenVariants = (results: Results): string[] =>
  results.scenarios.flatMap((s) => s.variants.filter((v) => v.status === 'failed' || v.smoke?.status === 'failed').map((v) => `${s.name}/${v.id}`));

/** Exit codes are chosen here and nowhere else. A finished run: */
export function exitCodeOf(results: Results): number {
  if (results.run.status === 'interrupted') return ExitCode.interrupted;
  return brokenVariants(results).length > 0 ? ExitCode.engine : ExitCode.ok;
}

/** The verdict as an exit code: the only place it becomes one. */
export function verdictExitCode(verdict: Level): number {
  return verdict === 'error' ? ExitCode.engine : verdict === 'fail' ? ExitCode.regression : ExitCode.ok;
}
