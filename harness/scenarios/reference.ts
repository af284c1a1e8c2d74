import { LESSON_REFERENCE } from '../config/schemas.js';
import { nearest } from '../format/did-you-mean.js';

/**
 * The variant a scenario's others are compared with (results' comparisons[].against), decided here only: the
 * one its config names in "reference", else `single` when it has one (the lesson scenarios, and every config
 * written before "reference" existed), else its first variant in the config's order. A name that is not one of
 * its variants is a problem, `where` said first.
 */
export function chooseReference(ids: string[], named: string | undefined, where: string): { reference: string } | { problem: string } {
  if (named === undefined) return { reference: ids.includes(LESSON_REFERENCE) ? LESSON_REFERENCE : (ids[0] ?? LESSON_REFERENCE) };
  if (ids.includes(named)) return { reference: named };
  const guess = nearest(named, ids);
  return { problem: `${where}: no variant "${named}"${guess ? ` (did you mean "${guess}"?)` : ''}; the scenario's variants: ${ids.join(', ')}` };
}
