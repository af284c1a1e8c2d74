import type { Results } from '../results/schema.js';
import { type Column, footnote, headerText, rowsOf, runColumns } from './columns.js';
import { failureDetails } from './failures.js';

/** A Markdown table cell: pipes escaped, line breaks folded. */
export const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A column spec's GitHub-flavoured Markdown table, without a trailing newline. */
export function markdownTable<R>(columns: Column<R>[], rows: R[]): string {
  return [
    `| ${columns.map((c) => headerText(c)).join(' | ')} |`,
    `| ${columns.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${columns.map((c) => cell(c.value(row))).join(' | ')} |`),
  ].join('\n');
}

/** The comparison table in Markdown, for docs and CI summaries. */
export function renderMarkdown(results: Results): string {
  const failures = failureDetails(results);
  const details = failures ? `\n<details><summary>Failures</summary>\n\n\`\`\`text\n${failures}\n\`\`\`\n</details>\n` : '';
  const rows = rowsOf(results);
  return `${markdownTable(runColumns(rows), rows)}\n\n${footnote(results)}\n${details}`;
}
