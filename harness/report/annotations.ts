import type { GateReport } from '../compare/compare.js';
import { GATE_COLUMNS } from './gate.js';

// Workflow-command escaping, as GitHub's actions/toolkit does it.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

const column = (header: string) => GATE_COLUMNS.find((c) => c.header === header)!;

/** ::error for failing and error rows, ::warning for warnings: they show on the run and the pull request. */
export function renderAnnotations(report: GateReport): string {
  return report.rows
    .filter((r) => r.level !== 'pass')
    .map((r) => {
      const kind = r.level === 'warn' ? 'warning' : 'error';
      const what = `${r.scenario}/${r.variant}${r.metric ? ` ${column('Metric').value(r)}` : ''}`;
      const values = r.current !== undefined ? `${column('Baseline').value(r)} → ${column('Current').value(r)} (${column('Change').value(r)}): ` : '';
      return `::${kind} title=${escapeProperty(`stagebench: ${what}`)}::${escapeData(`${what} ${r.status}: ${values}${r.reason}`)}\n`;
    })
    .join('');
}
