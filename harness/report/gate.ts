import Table from 'cli-table3';
import type { GateReport, GateRow, Level } from '../compare/compare.js';
import { exactBytes } from '../compare/compare.js';
import { formatValue, type Metric, METRICS } from '../compare/metrics.js';
import { cell } from './markdown.js';
import { tableStyle } from './terminal.js';

const dash = '—';
const metricOf = (row: GateRow): Metric | undefined => METRICS.find((m) => m.key === row.metric);

/** A value as the tables show it, or its exact bytes when a different value it is read against looks the same. */
function shown(metric: Metric, value: number, against: (number | undefined)[]): string {
  const text = formatValue(metric, value);
  const clash = against.some((o) => o !== undefined && o !== value && formatValue(metric, o) === text);
  return clash && metric.unit === 'bytes' ? exactBytes(value) : text;
}

function signed(metric: Metric, delta: number, against: (number | undefined)[]): string {
  const text = shown(metric, Math.abs(delta), against);
  return delta > 0 ? `+${text}` : delta < 0 ? `−${text}` : text;
}

function percentText(p: number): string {
  const sign = p > 0 ? '+' : p < 0 ? '−' : '±';
  return Math.abs(p) < 0.05 && p !== 0 ? `${sign}<0.1 %` : `${sign}${Math.abs(p).toFixed(1)} %`;
}

function statusText(row: GateRow): string {
  // new and missing take their effect from the policy: say it when it is not a plain pass.
  if ((row.status === 'new' || row.status === 'missing') && row.level !== 'pass') return `${row.status} (${row.level})`;
  return row.status;
}

interface GateColumn {
  header: string;
  align: 'left' | 'right';
  value(row: GateRow): string;
}

/** The one column spec of the gate report, for every format. */
export const GATE_COLUMNS: GateColumn[] = [
  { header: 'Status', align: 'left', value: statusText },
  { header: 'Scenario', align: 'left', value: (r) => r.scenario },
  { header: 'Variant', align: 'left', value: (r) => r.variant },
  { header: 'Metric', align: 'left', value: (r) => metricOf(r)?.label ?? dash },
  { header: 'Baseline', align: 'right', value: (r) => (r.baseline === undefined ? dash : shown(metricOf(r)!, r.baseline, [r.current])) },
  { header: 'Current', align: 'right', value: (r) => (r.current === undefined ? dash : shown(metricOf(r)!, r.current, [r.baseline, r.cap])) },
  {
    header: 'Change',
    align: 'right',
    value: (r) => {
      if (r.delta === undefined) return dash;
      const metric = metricOf(r)!;
      return `${signed(metric, r.delta, [r.min])} (${r.percent === undefined ? 'from 0' : percentText(r.percent)})`;
    },
  },
  { header: 'Why', align: 'left', value: (r) => r.reason },
];

const SEVERITY: GateRow['status'][] = ['error', 'fail', 'missing', 'warn', 'new', 'pass'];

/** Rows that need a look (not pass, or changed at all) first, worst first; then the rest in run order. */
export function orderRows(rows: GateRow[]): { changed: GateRow[]; unchanged: GateRow[] } {
  const isChanged = (r: GateRow) => r.status !== 'pass' || (r.delta !== undefined && r.delta !== 0);
  const changed = rows.filter(isChanged).sort((a, b) => SEVERITY.indexOf(a.status) - SEVERITY.indexOf(b.status) || Math.abs(b.percent ?? 0) - Math.abs(a.percent ?? 0));
  return { changed, unchanged: rows.filter((r) => !isChanged(r)) };
}

const VERDICT: Record<Level, string> = {
  pass: 'PASS',
  warn: 'PASS with warnings',
  fail: 'FAIL: over a size rule',
  error: 'ERROR: a variant did not build or work',
};

export function verdictLine(report: GateReport): string {
  const count = (level: Level) => report.rows.filter((r) => r.level === level).length;
  const parts = (['error', 'fail', 'warn'] as const).map((l) => [count(l), { error: 'error', fail: 'failing', warn: 'warning' }[l]] as const).filter(([n]) => n > 0);
  const tally = parts.length ? parts.map(([n, what]) => `${n} ${what} row${n === 1 ? '' : 's'}`).join(', ') : `all ${report.rows.length} rows within their rules`;
  const commit = report.baseline.commit ? `, commit ${report.baseline.commit.slice(0, 12)}` : '';
  return `${VERDICT[report.verdict]}: ${tally}; baseline of ${report.baseline.createdAt}${commit}`;
}

export function renderGateTerminal(report: GateReport, options: { color: boolean }): string {
  const table = new Table({ head: GATE_COLUMNS.map((c) => c.header), colAligns: GATE_COLUMNS.map((c) => c.align), style: tableStyle(options.color) });
  const { changed, unchanged } = orderRows(report.rows);
  for (const row of [...changed, ...unchanged]) table.push(GATE_COLUMNS.map((c) => c.value(row)));
  const notes = report.notes.map((n) => `note: ${n}\n`).join('');
  return `${table.toString()}\n${verdictLine(report)}\n${notes}`;
}

const markdownTable = (rows: GateRow[]) =>
  [
    `| ${GATE_COLUMNS.map((c) => c.header).join(' | ')} |`,
    `| ${GATE_COLUMNS.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${GATE_COLUMNS.map((c) => cell(c.value(row))).join(' | ')} |`),
  ].join('\n');

/** The report for a pull request or a CI summary: what changed first, the unchanged rows folded away. */
export function renderGateMarkdown(report: GateReport): string {
  const { changed, unchanged } = orderRows(report.rows);
  const out = [`### stagebench: ${VERDICT[report.verdict]}`, '', verdictLine(report), ''];
  if (changed.length > 0) out.push(markdownTable(changed), '');
  else out.push('No row changed.', '');
  if (unchanged.length > 0) out.push(`<details><summary>${unchanged.length} unchanged row${unchanged.length === 1 ? '' : 's'}</summary>`, '', markdownTable(unchanged), '', '</details>', '');
  for (const note of report.notes) out.push(`- ${cell(note)}`);
  return `${out.join('\n').trimEnd()}\n`;
}
