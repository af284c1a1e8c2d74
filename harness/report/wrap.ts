/** Display width: the tables hold no wide or combining characters, only a few single-width symbols (— − › ±). */
export const widthOf = (s: string) => [...s].length;

/** Words of `text` in lines of at most `width` (a longer word stands alone), the lines after the first indented. */
export function wrap(text: string, width: number | undefined, indent = ''): string {
  if (width === undefined) return text;
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    const next = line.trim() ? `${line} ${word}` : line + word;
    if (line.trim() && widthOf(next) > width - (lines.length ? widthOf(indent) : 0)) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines.map((l, i) => (i ? indent + l : l)).join('\n');
}
