import type { GateReport, GateRow } from '../compare/compare.js';
import { bySeverity, GATE_COLUMNS } from './gate.js';

// Workflow-command escaping, as GitHub's actions/toolkit does it.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub shows at most 10 annotations of each kind per step; the job summary has every row. */
export const MAX_PER_KIND = 10;

const column = (header: string) => GATE_COLUMNS.find((c) => c.header === header)!;

function message(rows: GateRow[]): { title: string; text: string } {
  const first = rows[0]!;
  const variant = `${first.scenario}/${first.variant}`;
  // A new variant is one thing to note, not one per metric.
  if (first.status === 'new' && rows.length > 1) {
    const values = rows.map((r) => `${column('Metric').value(r)} ${column('Current').value(r)}`).join(', ');
    // The reason's first part is the variant's (not in the baseline); a cap is one metric's, left to the summary.
    return { title: variant, text: `${variant} new: ${first.reason.split('; ')[0]} (${values})` };
  }
  const what = first.metric || first.finding ? `${variant} ${column('Metric').value(first)}` : variant;
  const values = first.current !== undefined ? `${column('Baseline').value(first)} → ${column('Current').value(first)} (${column('Change').value(first)}): ` : '';
  return { title: what, text: `${what} ${first.status}: ${values}${first.reason}` };
}

/** ::error for failing and error rows, ::warning for warnings, worst first, at most MAX_PER_KIND of each. */
export function renderAnnotations(report: GateReport): string {
  const groups: GateRow[][] = [];
  for (const row of [...report.rows].filter((r) => r.level !== 'pass').sort(bySeverity)) {
    const same = row.status === 'new' ? groups.find((g) => g[0]!.status === 'new' && g[0]!.level === row.level && g[0]!.scenario === row.scenario && g[0]!.variant === row.variant) : undefined;
    if (same) same.push(row);
    else groups.push([row]);
  }
  const out: string[] = [];
  for (const kind of ['error', 'warning'] as const) {
    const ofKind = groups.filter((g) => (g[0]!.level === 'warn' ? 'warning' : 'error') === kind);
    ofKind.slice(0, MAX_PER_KIND).forEach((group, i) => {
      const { title, text } = message(group);
      const more = i === MAX_PER_KIND - 1 && ofKind.length > MAX_PER_KIND ? ` (and ${ofKind.length - MAX_PER_KIND} more: see the job summary)` : '';
      out.push(`::${kind} title=${escapeProperty(`stagebench: ${title}`)}::${escapeData(text + more)}\n`);
    });
  }
  return out.join('');
}
