import { pullMissingBases } from '../../../harness/measure/pull-bases.js';
import { fakeEngine } from '../cli/fake-engine.js';

const steps: string[] = [];
const onStep = (s: string) => steps.push(s);
beforeEach(() => (steps.length = 0));

test('bases the engine has are not pulled, and no pull time is recorded', async () => {
  const engine = fakeEngine();
  expect(await pullMissingBases(engine, ['alpine:3', 'node:24'], new AbortController().signal, onStep)).toEqual({ pullMs: undefined });
  expect(engine.pulls).toEqual([]);
});

test('missing bases are pulled in order before anything is built, and the time is summed', async () => {
  const engine = fakeEngine({ missing: ['node:24', 'nginx:1'] });
  const res = await pullMissingBases(engine, ['alpine:3', 'node:24', 'nginx:1'], new AbortController().signal, onStep);
  expect(engine.pulls).toEqual(['node:24', 'nginx:1']);
  expect(res.pullMs).toEqual(expect.any(Number));
  expect(res.error).toBeUndefined();
  // Each pull says when it ended, timed from its own start (not from 0: issue 13 saw 1.8e9 s).
  expect(steps).toEqual(['pulling base image node:24', expect.stringMatching(/^pull of node:24 ended after \d+\.\d s$/), 'pulling base image nginx:1', expect.stringMatching(/^pull of nginx:1 ended after \d+\.\d s$/)]);
});

test('a base that cannot be pulled: the reason and the fix, and nothing after it is pulled', async () => {
  const engine = fakeEngine({ missing: ['private/x:1', 'node:24'], pullFails: ['private/x:1'] });
  const res = await pullMissingBases(engine, ['private/x:1', 'node:24'], new AbortController().signal, onStep);
  expect(res.error).toBe(
    'base image "private/x:1" is not on the engine and could not be pulled (pull access denied for private/x:1). ' +
      "Pull or load it yourself (docker pull / docker load), or map the Dockerfile's ARG to a local image with a --profile.",
  );
  expect(engine.pulls).toEqual(['private/x:1']);
});

test('a pull cancelled by Ctrl-C is an interruption, not an error (the variant is left out, never failed)', async () => {
  const controller = new AbortController();
  controller.abort();
  const res = await pullMissingBases(fakeEngine({ missing: ['node:24'], pullFails: ['node:24'] }), ['node:24'], controller.signal, onStep);
  expect(res).toEqual({ interrupted: 'the pull of node:24 was cancelled' });
});
