/**
 * The one rule for scenario names and variant ids, wherever they come from (folder names, Dockerfile.<v>
 * suffixes, config keys, matrix values). A name becomes the repository path component of the image
 * (`stagebench/<scenario>:<variant>`, lower-cased) and its tag, so it must be valid as both: letters and
 * digits in runs joined by one `.`, one or two `_`, or any number of `-` (the Docker reference grammar of a
 * path component, which is also a valid tag), at most 128 characters (a tag's limit). Upper case is
 * allowed and lower-cased for the image; two names that are equal after lower-casing would share an image,
 * so they are refused together.
 */
export const MAX_NAME_LENGTH = 128;

const NAME = /^[A-Za-z0-9]+(?:(?:[._]|__|-+)[A-Za-z0-9]+)*$/;

/** Why a name breaks the rule (a sentence fragment), or undefined when it is fine. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_NAME_LENGTH) return `is ${name.length} characters long; the limit is ${MAX_NAME_LENGTH}`;
  if (NAME.test(name)) return undefined;
  const bad = [...new Set([...name].filter((c) => !/[A-Za-z0-9._-]/.test(c)))];
  if (bad.length > 0) return `has ${bad.map((c) => (c === ' ' ? 'a space' : `"${c}"`)).join(', ')}: use only letters a-z, digits, ".", "_" and "-"`;
  return 'must start and end with a letter or digit, with ".", "_", "__" or "-" only between them (no "..", "_-" or "___")';
}

/** The name as it appears in an image reference. */
export function imageRefPart(name: string): string {
  return name.toLowerCase();
}

/**
 * Problems with a set of names that share one namespace (the scenarios of a run, the variants of one
 * scenario): each bad name, and each group that collides after lower-casing. `where` says what each name is
 * (e.g. `folder scenarios/go app`, `scenarios.api.variants.slim`), so the message names the place to fix.
 */
export function nameProblems(entries: { name: string; where: string }[]): string[] {
  const problems: string[] = [];
  const byRef = new Map<string, { name: string; where: string }[]>();
  for (const entry of entries) {
    const problem = nameProblem(entry.name);
    if (problem) {
      problems.push(`${entry.where}: the name "${entry.name}" ${problem}`);
      continue;
    }
    const ref = imageRefPart(entry.name);
    byRef.set(ref, [...(byRef.get(ref) ?? []), entry]);
  }
  for (const [ref, group] of byRef) {
    if (group.length < 2) continue;
    problems.push(`${group.map((e) => e.where).join(' and ')}: the names ${group.map((e) => `"${e.name}"`).join(', ')} are the same image name "${ref}" once lower-cased: rename all but one`);
  }
  return problems;
}

/**
 * A readable id part from a matrix value: every run of characters other than letters and digits becomes one
 * "-" (`node:20-slim` -> `node-20-slim`), ends trimmed. Empty when the value has no letter or digit.
 */
export function idFromValue(value: string): string {
  return value.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}
