import Table from 'cli-table3';
import type { Results } from '../results/schema.js';
import { type Column, COLUMNS, footnote, rowsOf } from './columns.js';
import { failureDetails } from './failures.js';

/** cli-table3 colours for every table stagebench prints: none unless colour is on. */
export const tableStyle = (color: boolean) => (color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] });

/** A column spec's table for a terminal (cli-table3). */
export function terminalTable<R>(columns: Column<R>[], rows: R[], color: boolean): string {
  const table = new Table({ head: columns.map((c) => c.header), colAligns: columns.map((c) => c.align), style: tableStyle(color) });
  for (const row of rows) table.push(columns.map((c) => c.value(row)));
  return table.toString();
}

/** The comparison table for a terminal. Colour only when asked for. */
export function renderTerminal(results: Results, options: { color: boolean }): string {
  const failures = failureDetails(results);
  return `${terminalTable(COLUMNS, rowsOf(results), options.color)}\n${footnote(results)}\n${failures ? `\n${failures}\n` : ''}`;
}
