import Table from 'cli-table3';
import type { Results } from '../results/schema.js';
import { COLUMNS, footnote, rowsOf } from './columns.js';
import { failureDetails } from './failures.js';

/** The comparison table for a terminal (cli-table3). Colour only when asked for. */
export function renderTerminal(results: Results, options: { color: boolean }): string {
  const table = new Table({
    head: COLUMNS.map((c) => c.header),
    colAligns: COLUMNS.map((c) => c.align),
    style: options.color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
  });
  for (const row of rowsOf(results)) table.push(COLUMNS.map((c) => c.value(row)));
  const failures = failureDetails(results);
  return `${table.toString()}\n${footnote(results)}\n${failures ? `\n${failures}\n` : ''}`;
}
