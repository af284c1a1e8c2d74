import type { Results } from './schema.js';

type Measured = Pick<Results, 'engine' | 'builder'>;

const FACTS: [string, (r: Measured) => string][] = [
  ['engine version', (r) => r.engine.serverVersion],
  ['storage driver', (r) => r.engine.storageDriver],
  ['image store', (r) => r.engine.imageStore],
  ['platform', (r) => `${r.engine.os}/${r.engine.arch}`],
  ['builder', (r) => r.builder],
];

/**
 * What makes two runs' sizes comparable: the same engine version, storage (which defines Size), platform and
 * builder (which decides the layers). Each difference as "storage driver: overlay2 ≠ btrfs".
 */
export function engineDifferences(a: Measured, b: Measured): string[] {
  return FACTS.filter(([, get]) => get(a) !== get(b)).map(([what, get]) => `${what}: ${get(a)} ≠ ${get(b)}`);
}
