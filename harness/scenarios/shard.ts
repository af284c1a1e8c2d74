import { UsageError } from '../errors.js';

export interface Shard {
  index: number;
  count: number;
}

/** "2/3" -> { index: 2, count: 3 }. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard ${text} is not <index>/<count> with 1 ≤ index ≤ count`, 'pass e.g. --shard 1/2 in one job and --shard 2/2 in the other');
  }
  return { index, count };
}

/**
 * The scenarios of one shard: sorted by name and dealt round-robin, so every machine computes the same split
 * from the same folder, and the shards together hold every scenario exactly once.
 */
export function pickShard<T extends { name: string }>(scenarios: T[], shard: Shard): T[] {
  return [...scenarios].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).filter((_, i) => i % shard.count === shard.index - 1);
}
