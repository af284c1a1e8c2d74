/** Edit distance (insertions, deletions, substitutions, adjacent swaps), for "did you mean". */
export function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest of `known` to `word`, if it is close enough to be a slip: at most 2 edits, or a third of its length. */
export function nearest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const dist = distance(word, k);
    if (dist < bestDistance) [best, bestDistance] = [k, dist];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/**
 * What names that are none of `known` were likely meant as, for a message: the guesses (only for one unknown
 * name: several slips have no one fix) and "; did you mean a or b?" to follow the message ('' without a guess).
 */
export function meantAs(unknown: readonly string[], known: readonly string[]): { guess: string[]; text: string } {
  const guess = unknown.length === 1 ? likely(unknown[0]!, known) : [];
  return { guess, text: guess.length > 0 ? `; did you mean ${guess.join(' or ')}?` : '' };
}

/**
 * The names of `known` that `word` was likely meant as, closest first, at most three: the nearest (a slip),
 * and those that hold it or that it holds (`api` for `api-api`).
 */
export function likely(word: string, known: readonly string[]): string[] {
  const close = nearest(word, known);
  const holding = known.filter((k) => k !== close && word.length > 1 && (k.includes(word) || word.includes(k)));
  holding.sort((a, b) => distance(word, a) - distance(word, b));
  return [...(close ? [close] : []), ...holding].slice(0, 3);
}
