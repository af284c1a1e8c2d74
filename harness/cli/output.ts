import type { GateReport } from '../compare/compare.js';
import type { Results } from '../results/schema.js';
import { renderAnnotations } from '../report/annotations.js';
import { renderGateMarkdown, renderGateTerminal } from '../report/gate.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import type { Format } from './args.js';

/** Renders results for stdout in the format asked. */
export function render(results: Results, format: Format, color: boolean): string {
  if (format === 'json') return `${JSON.stringify(results, null, 2)}\n`;
  if (format === 'markdown') return renderMarkdown(results);
  return renderTerminal(results, { color });
}

/**
 * The gate report for stdout in the format asked, with GitHub workflow commands (annotations) in front when
 * running in GitHub Actions. Workflow commands are read from stdout; JSON on stdout must stay JSON, so with
 * --format json they go to stderr.
 */
export function renderGate(report: GateReport, format: Format, color: boolean, env: Record<string, string | undefined>): { stdout: string; stderr: string } {
  const annotations = env.GITHUB_ACTIONS === 'true' ? renderAnnotations(report) : '';
  if (format === 'json') return { stdout: `${JSON.stringify(report, null, 2)}\n`, stderr: annotations };
  return { stdout: annotations + (format === 'markdown' ? renderGateMarkdown(report) : renderGateTerminal(report, { color })), stderr: '' };
}

/** Colour and redrawn progress only on a terminal, without NO_COLOR, and never in JSON mode. */
export const styled = (stream: { isTTY?: boolean }, env: Record<string, string | undefined>, format: Format = 'table') => !!stream.isTTY && env.NO_COLOR === undefined && format !== 'json';
