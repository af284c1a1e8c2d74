import { parseShard, pickShard } from '../../../harness/scenarios/shard.js';

const named = (...names: string[]) => names.map((name) => ({ name }));

test('round-robin over the sorted names: every scenario in exactly one shard, whatever the input order', () => {
  const all = named('e', 'c', 'a', 'd', 'b');
  const shards = [1, 2, 3].map((index) => pickShard(all, { index, count: 3 }).map((s) => s.name));
  expect(shards).toEqual([['a', 'd'], ['b', 'e'], ['c']]);
  expect(pickShard(named('a', 'b', 'c', 'd', 'e'), { index: 2, count: 3 }).map((s) => s.name)).toEqual(['b', 'e']);
});

test('more shards than scenarios: the extra shards are empty', () => {
  expect(pickShard(named('a'), { index: 2, count: 2 })).toEqual([]);
  expect(pickShard(named('a'), { index: 1, count: 1 })).toEqual(named('a'));
});

test.each([
  ['1/2', { index: 1, count: 2 }],
  ['3/3', { index: 3, count: 3 }],
])('--shard %s', (text, shard) => expect(parseShard(text)).toEqual(shard));

test.each(['0/2', '3/2', '1/0', '1', 'a/b', '1/2/3', ' 1/2'])('--shard %s is refused', (text) => {
  expect(() => parseShard(text)).toThrow('is not <index>/<count> with 1 ≤ index ≤ count');
});
