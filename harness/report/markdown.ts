import type { Results } from '../results/schema.js';
import { COLUMNS, footnote, rowsOf } from './columns.js';
import { failureDetails } from './failures.js';

/** A Markdown table cell: pipes escaped, line breaks folded. */
export const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A GitHub-flavoured Markdown table for docs and CI summaries. */
export function renderMarkdown(results: Results): string {
  const header = `| ${COLUMNS.map((c) => c.header).join(' | ')} |`;
  const rule = `| ${COLUMNS.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |`;
  const rows = rowsOf(results).map((row) => `| ${COLUMNS.map((c) => cell(c.value(row))).join(' | ')} |`);
  const failures = failureDetails(results);
  const details = failures ? `\n<details><summary>Failures</summary>\n\n\`\`\`text\n${failures}\n\`\`\`\n</details>\n` : '';
  return `${[header, rule, ...rows].join('\n')}\n\n${footnote(results)}\n${details}`;
}
