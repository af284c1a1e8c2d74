import type { GateReport } from '../compare/compare.js';
import type { Results } from '../results/schema.js';
import { renderAnnotations } from '../report/annotations.js';
import { renderGateMarkdown, renderGateTerminal } from '../report/gate.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal, type TerminalOptions } from '../report/terminal.js';
import type { ColorMode, Display, Format } from './args.js';

/** Renders results for stdout in the format asked. */
export function render(results: Results, format: Format, terminal: TerminalOptions): string {
  if (format === 'json') return `${JSON.stringify(results, null, 2)}\n`;
  if (format === 'markdown') return renderMarkdown(results);
  return renderTerminal(results, terminal);
}

/**
 * The gate report for stdout in the format asked, with GitHub workflow commands (annotations) in front when
 * running in GitHub Actions. Workflow commands are read from stdout; JSON on stdout must stay JSON, so with
 * --format json they go to stderr.
 */
export function renderGate(report: GateReport, format: Format, terminal: TerminalOptions, env: Record<string, string | undefined>): { stdout: string; stderr: string } {
  const annotations = env.GITHUB_ACTIONS === 'true' ? renderAnnotations(report) : '';
  if (format === 'json') return { stdout: `${JSON.stringify(report, null, 2)}\n`, stderr: annotations };
  return { stdout: annotations + (format === 'markdown' ? renderGateMarkdown(report) : renderGateTerminal(report, terminal)), stderr: '' };
}

export interface Stream {
  isTTY?: boolean;
  columns?: number;
}

/**
 * Colour: never in JSON; --color always/never as asked; otherwise FORCE_COLOR (non-empty and not 0/false)
 * turns it on, NO_COLOR (non-empty, as no-color.org says) off, and a terminal decides (the order Node.js
 * itself follows).
 */
export function colorOn(stream: Stream, env: Record<string, string | undefined>, mode: ColorMode = 'auto', format: Format = 'table'): boolean {
  if (format === 'json' || mode === 'never') return false;
  if (mode === 'always') return true;
  const force = env.FORCE_COLOR;
  if (force) return force !== '0' && force !== 'false';
  if (env.NO_COLOR) return false;
  return !!stream.isTTY && env.TERM !== 'dumb';
}

/** Tables fit the terminal's width; 100 columns when stdout is not a terminal; no limit with --wide. */
export const NON_TTY_WIDTH = 100;
export const tableWidth = (stream: Stream, wide: boolean): number | undefined => (wide ? undefined : stream.isTTY && stream.columns ? stream.columns : NON_TTY_WIDTH);

/** How a table goes to this stream. */
export const terminalFor = (stream: Stream, env: Record<string, string | undefined>, display: Display & { format?: Format }): TerminalOptions => {
  const width = tableWidth(stream, display.wide);
  return { color: colorOn(stream, env, display.color, display.format), ...(width === undefined ? {} : { width }) };
};
