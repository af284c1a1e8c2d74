import { retryWhileBusy } from '../../../harness/engine/retry-busy.js';

const busy = () => new Error('reading disk usage failed: a disk usage operation is already running');

test('a request refused as "already running" is retried until it succeeds', async () => {
  let calls = 0;
  const value = await retryWhileBusy(async () => {
    if (++calls < 3) throw busy();
    return 'df';
  }, 8, 1);
  expect([value, calls]).toEqual(['df', 3]);
});

test('the retries are bounded: the last refusal stands', async () => {
  let calls = 0;
  await expect(
    retryWhileBusy(async () => {
      calls++;
      throw busy();
    }, 4, 1),
  ).rejects.toThrow(/already running/);
  expect(calls).toBe(4);
});

test('any other error is not retried', async () => {
  let calls = 0;
  await expect(
    retryWhileBusy(async () => {
      calls++;
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  expect(calls).toBe(1);
});
