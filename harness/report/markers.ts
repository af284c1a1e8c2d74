export const START = '<!-- stagebench:table:start -->';
export const END = '<!-- stagebench:table:end -->';

/** Replaces what stands between the markers (kept) with content; the same input gives the same output. */
export function replaceBetweenMarkers(text: string, content: string): string | undefined {
  const start = text.indexOf(START);
  const end = text.indexOf(END, start);
  if (start < 0 || end < 0) return undefined;
  return `${text.slice(0, start + START.length)}\n${content.trimEnd()}\n${text.slice(end)}`;
}
