import { type GateReport, type GateRow, type Level, LEVELS, type UpdateDownload } from '../compare/compare.js';
import { formatBytes } from '../format/units.js';
import { type Metric, METRICS, shownAgainst } from '../compare/metrics.js';
import type { Column } from './columns.js';
import { cell, markdownTable } from './markdown.js';
import { type TerminalOptions, terminalTable, wrap } from './terminal.js';

const dash = '—';
const metricOf = (row: GateRow): Metric | undefined => METRICS.find((m) => m.key === row.metric);

/** "+12.5 %"; with more decimals when fewer would print the rule's own percentage for a different value. */
function percentText(p: number, rulePercent: number | undefined): string {
  const sign = p > 0 ? '+' : p < 0 ? '−' : '±';
  const abs = Math.abs(p);
  const nearRule = (digits: number) => rulePercent !== undefined && abs !== rulePercent && Number(abs.toFixed(digits)) === rulePercent;
  // "<0.1 %" only where no rule finer than that is being read against it.
  if (abs !== 0 && abs < 0.05 && (rulePercent === undefined || rulePercent >= 0.1)) return `${sign}<0.1 %`;
  // At least as many places as the rule has ("0.125%" -> 3), so 0.02 % is not "0.0 %" next to a 0.01 % rule.
  let digits = Math.max(1, (String(rulePercent ?? '').split('.')[1] ?? '').length);
  // Integer bytes keep a value over or under the rule at least 1e-12 apart from it: 16 places always tell.
  while (digits < 16 && nearRule(digits)) digits++;
  return `${sign}${abs.toFixed(digits)} %`;
}

function change(r: GateRow): string {
  if (r.delta === undefined) return dash;
  const metric = metricOf(r)!;
  const size = shownAgainst(metric, Math.abs(r.delta), [r.rule?.min]);
  const signed = r.delta > 0 ? `+${size}` : r.delta < 0 ? `−${size}` : size;
  return `${signed} (${changePercent(r)})`;
}

const changePercent = (r: GateRow) => (r.percent === undefined ? 'from 0' : percentText(r.percent, r.rule?.percent));

function statusText(row: GateRow): string {
  // new and missing take their effect from the policy: say it when it is not a plain pass.
  if ((row.status === 'new' || row.status === 'missing') && row.level !== 'pass') return `${row.status} (${row.level})`;
  return row.status;
}

/**
 * The one column spec of the gate report, for every format. On a narrow terminal the Baseline column, the
 * value a reviewer reads first, is the last to go (it stays at 80 columns): the Change column gives way first,
 * to its percentage alone (its bytes are Current − Baseline, both shown); then even short reasons become
 * footnotes; then Change is left out; only then Baseline.
 */
export const GATE_COLUMNS: Column<GateRow>[] = [
  { header: 'Status', align: 'left', value: statusText },
  { header: 'Scenario', align: 'left', value: (r) => r.scenario },
  { header: 'Variant', align: 'left', value: (r) => r.variant },
  { header: 'Metric', align: 'left', value: (r) => (r.finding ? `ships ${r.finding.name}` : (metricOf(r)?.label ?? dash)) },
  { header: 'Baseline', align: 'right', drop: 3, value: (r) => (r.finding ? 'absent' : r.baseline === undefined ? dash : shownAgainst(metricOf(r)!, r.baseline, [r.current])) },
  { header: 'Current', align: 'right', value: (r) => (r.finding ? 'present' : r.current === undefined ? dash : shownAgainst(metricOf(r)!, r.current, [r.baseline, r.cap])) },
  { header: 'Change', align: 'right', value: change, compact: { drop: 1, value: (r) => (r.delta === undefined ? dash : changePercent(r)) }, drop: 2 },
  { header: 'Why', align: 'left', value: (r) => r.reason, fold: { max: 16, all: 1.5 } },
];

/** What a host holding the baseline's image downloads: beside the full pull, for scale. */
export const UPDATE_COLUMNS: Column<UpdateDownload>[] = [
  { header: 'Scenario', align: 'left', value: (u) => u.scenario },
  { header: 'Variant', align: 'left', value: (u) => u.variant },
  { header: 'Update download', align: 'right', value: (u) => formatBytes(u.updateBytes) },
  { header: 'Full pull', align: 'right', value: (u) => formatBytes(u.pullBytes) },
  { header: 'Share', align: 'right', value: (u) => (u.pullBytes === 0 ? dash : `${((u.updateBytes / u.pullBytes) * 100).toFixed(1)} %`) },
  { header: 'New layers', align: 'right', value: (u) => `${u.newLayers} of ${u.layers}` },
];
const UPDATE_TITLE = "Update download: what a host that holds the baseline's image fetches (config + layers it lacks, compressed)";

const STATUS_ORDER: GateRow['status'][] = ['error', 'fail', 'missing', 'warn', 'new', 'pass'];
/** Worst first: by effect on the verdict, then by status, then by the size of the change. */
export const bySeverity = (a: GateRow, b: GateRow) =>
  LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level) || STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || Math.abs(b.percent ?? 0) - Math.abs(a.percent ?? 0);

/**
 * Rows that need a look first, worst first: anything but a pass, and passing sizes and layer counts that
 * changed at all. A passing build time always differs a little, so it stays with the rest, in run order.
 */
export function orderRows(rows: GateRow[]): { changed: GateRow[]; unchanged: GateRow[] } {
  const isChanged = (r: GateRow) => r.status !== 'pass' || (r.metric !== 'buildTime' && r.metric !== 'startTime' && r.delta !== undefined && r.delta !== 0);
  return { changed: rows.filter(isChanged).sort(bySeverity), unchanged: rows.filter((r) => !isChanged(r)) };
}

const VERDICT: Record<Level, string> = { pass: 'PASS', warn: 'PASS with warnings', fail: 'FAIL', error: 'ERROR' };

export function verdictLine(report: GateReport): string {
  const count = (level: Level) => report.rows.filter((r) => r.level === level).length;
  const parts = (['error', 'fail', 'warn'] as const).map((l) => [count(l), { error: 'error', fail: 'failing', warn: 'warning' }[l]] as const).filter(([n]) => n > 0);
  const tally = parts.length ? parts.map(([n, what]) => `${n} ${what} row${n === 1 ? '' : 's'}`).join(', ') : `all ${report.rows.length} rows within their rules`;
  const commit = report.baseline.commit ? `, commit ${report.baseline.commit.slice(0, 12)}` : '';
  return `${VERDICT[report.verdict]}: ${tally}; baseline of ${report.baseline.createdAt}${commit}`;
}

export function renderGateTerminal(report: GateReport, options: TerminalOptions): string {
  const { changed, unchanged } = orderRows(report.rows);
  const notes = report.notes.map((n) => `${wrap(`note: ${n}`, options.width, '  ')}\n`).join('');
  const updates = report.updates ? `\n${wrap(UPDATE_TITLE, options.width)}\n${terminalTable(UPDATE_COLUMNS, report.updates, options)}\n` : '';
  return `${terminalTable(GATE_COLUMNS, [...changed, ...unchanged], options)}\n${wrap(verdictLine(report), options.width)}\n${notes}${updates}`;
}

/** The report for a pull request or a CI summary: what changed first, the rest folded away. */
export function renderGateMarkdown(report: GateReport): string {
  const { changed, unchanged } = orderRows(report.rows);
  const out = [`### stagebench: ${VERDICT[report.verdict]}`, '', verdictLine(report), ''];
  if (changed.length > 0) out.push(markdownTable(GATE_COLUMNS, changed), '');
  else out.push('No size or layer count changed.', '');
  if (unchanged.length > 0) out.push(`<details><summary>${unchanged.length} more row${unchanged.length === 1 ? '' : 's'}</summary>`, '', markdownTable(GATE_COLUMNS, unchanged), '', '</details>', '');
  if (report.updates) out.push(`${UPDATE_TITLE}:`, '', markdownTable(UPDATE_COLUMNS, report.updates), '');
  for (const note of report.notes) out.push(`- ${cell(note)}`);
  return `${out.join('\n').trimEnd()}\n`;
}
