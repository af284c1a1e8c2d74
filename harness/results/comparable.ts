import { kindOf, type Results } from './schema.js';

type Measured = Pick<Results, 'engine' | 'builder'> & Partial<Pick<Results, 'builderUsed'>>;

/** "20.10.24+dfsg1" -> "20.10": patch releases do not change how images are stored or built. */
const minor = (version: string) => version.split('.').slice(0, 2).join('.');

const FACTS: [string, (r: Measured, exact: boolean) => string][] = [
  ['engine', (r) => kindOf(r.engine)],
  ['engine version', (r, exact) => (exact ? r.engine.serverVersion : minor(r.engine.serverVersion))],
  ['storage driver', (r) => r.engine.storageDriver],
  ['image store', (r) => r.engine.imageStore],
  ['platform', (r) => `${r.engine.os}/${r.engine.arch}`],
  ['builder', (r) => r.builderUsed ?? r.builder],
];

/**
 * What makes two runs' sizes comparable: the same engine (Docker or Podman) and release (major.minor), storage and image store (which define Size),
 * platform and builder (which decides the layers). Each difference as "storage driver: overlay2 ≠ btrfs".
 * exactVersion: for merging, where one file can name only one engine version.
 */
export function engineDifferences(a: Measured, b: Measured, { exactVersion = false } = {}): string[] {
  return FACTS.filter(([, get]) => get(a, exactVersion) !== get(b, exactVersion)).map(([what, get]) => `${what}: ${get(a, exactVersion)} ≠ ${get(b, exactVersion)}`);
}

/** Differences worth a note but not a refusal: another patch release of the engine. */
export function engineNotes(a: Measured, b: Measured): string[] {
  const [x, y] = [a.engine.serverVersion, b.engine.serverVersion];
  return x !== y && minor(x) === minor(y) ? [`engine ${x} ≠ ${y} (same release, compared)`] : [];
}
