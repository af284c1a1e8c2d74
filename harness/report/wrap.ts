import { startsWithUnit } from '../format/units.js';

/** Display width: the tables hold no wide or combining characters, only a few single-width symbols (— − › ±). */
export const widthOf = (s: string) => [...s].length;

/** The words of `text`, a number and its unit ("4.85 MB", "+2.1 %") as one: they are never on two lines. */
function wordsOf(text: string): string[] {
  const words: string[] = [];
  for (const word of text.split(' ')) {
    const last = words.length - 1;
    if (last >= 0 && /\d$/.test(words[last]!) && startsWithUnit(word)) words[last] += ` ${word}`;
    else words.push(word);
  }
  return words;
}

/** Words of `text` in lines of at most `width` (a longer word stands alone), the lines after the first indented. */
export function wrap(text: string, width: number | undefined, indent = ''): string {
  if (width === undefined) return text;
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = lead;
  for (const word of wordsOf(text.slice(lead.length))) {
    const next = line.trim() ? `${line} ${word}` : line + word;
    if (line.trim() && widthOf(next) > width - (lines.length ? widthOf(indent) : 0)) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines.map((l, i) => (i ? indent + l : l)).join('\n');
}
