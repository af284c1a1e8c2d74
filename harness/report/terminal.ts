import Table from 'cli-table3';
import type { Results } from '../results/schema.js';
import { COLUMNS, footnote, rowsOf } from './columns.js';
import { failureDetails } from './failures.js';

/** cli-table3 colours for every table stagebench prints: none unless colour is on. */
export const tableStyle = (color: boolean) => (color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] });

/** The comparison table for a terminal (cli-table3). Colour only when asked for. */
export function renderTerminal(results: Results, options: { color: boolean }): string {
  const table = new Table({
    head: COLUMNS.map((c) => c.header),
    colAligns: COLUMNS.map((c) => c.align),
    style: tableStyle(options.color),
  });
  for (const row of rowsOf(results)) table.push(COLUMNS.map((c) => c.value(row)));
  const failures = failureDetails(results);
  return `${table.toString()}\n${footnote(results)}\n${failures ? `\n${failures}\n` : ''}`;
}
