import { startsWithUnit } from '../format/units.js';

/** Display width: the tables hold no wide or combining characters, only a few single-width symbols (— − › ±). */
export const widthOf = (s: string) => [...s].length;

/**
 * The words of `text`, a number and its unit ("4.85 MB", "+2.1 %") as one: they are never on two lines. With
 * `code`, a command in backticks (`stagebench run --no-cache`) is one word too, unless it is wider than `room`.
 */
function wordsOf(text: string, code: boolean, room: number): string[] {
  const words: string[] = [];
  let open: string[] | undefined;
  for (const word of text.split(' ')) {
    const last = words.length - 1;
    if (open) {
      open.push(word);
      if (!oddTicks(word)) continue;
      const span = open.join(' ');
      words.push(...(widthOf(span) <= room ? [span] : open));
      open = undefined;
    } else if (code && oddTicks(word)) open = [word];
    else if (last >= 0 && /\d$/.test(words[last]!) && startsWithUnit(word)) words[last] += ` ${word}`;
    else words.push(word);
  }
  if (open) words.push(...open);
  return words;
}
const oddTicks = (word: string) => (word.split('`').length - 1) % 2 === 1;

/**
 * Words of `text` in lines of at most `width` (a longer word stands alone), the lines after the first indented.
 * `code`: keep what is in backticks on one line when it fits.
 */
export function wrap(text: string, width: number | undefined, indent = '', code = false): string {
  if (width === undefined) return text;
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = lead;
  for (const word of wordsOf(text.slice(lead.length), code, width - widthOf(indent))) {
    const next = line.trim() ? `${line} ${word}` : line + word;
    if (line.trim() && widthOf(next) > width - (lines.length ? widthOf(indent) : 0)) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines.map((l, i) => (i ? indent + l : l)).join('\n');
}
