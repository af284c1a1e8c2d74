import { wrap } from '../report/wrap.js';
import type { Stream } from './output.js';

/**
 * What stderr shows for an error: `stagebench: <message>`, its listed problems, and `  fix: <hint>`. On a
 * terminal each line is wrapped between words at its width, the lines after the first indented under the text
 * they continue (under the message, a problem's text, or what follows "fix:"), and a path or a command in
 * backticks is not split when it fits on a line. Anywhere else (a CI log, a pipe) each line stays whole, for grep.
 */
export function errorText(message: string, hint: string | undefined, width: number | undefined): string {
  const lines = `stagebench: ${message}${hint ? `\n  fix: ${hint}` : ''}`.split('\n');
  return `${lines.map((line) => wrap(glued(line), width, continuation(line), true).replace(NBSP, ' ')).join('\n')}\n`;
}

/** "- " and "fix: " stay on the line of the word after them: the space after the mark, non-breaking while wrapping. */
const NBSP = '\u00a0';
const glued = (line: string) => line.replace(/^( *(?:- |fix: ))/, (mark) => `${mark.slice(0, -1)}${NBSP}`);

/** The indent of a line's continuation: under the text after "- " or "fix: ", else two more than the line's own. */
function continuation(line: string): string {
  const [, lead, mark] = /^( *)(- |fix: )?/.exec(line)!;
  return ' '.repeat(lead!.length + (mark ? mark.length : 2));
}

/** The width errors and notes wrap at: stderr's when it is a terminal, none otherwise. */
export const errorWidth = (stderr: Stream): number | undefined => (stderr.isTTY && stderr.columns ? stderr.columns : undefined);

/**
 * A note or warning on stderr (`note: …`), by the errors' rule: wrapped at the terminal's width, the lines after
 * the first indented two, a command in backticks kept whole; one line in a pipe or a CI log, for grep.
 */
export const noteText = (text: string, stderr: Stream): string => `${wrap(text, errorWidth(stderr), '  ', true)}\n`;
