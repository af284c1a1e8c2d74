import type { Engine } from '../../../harness/engine/engine.js';
import { smokeCheck } from '../../../harness/measure/smoke.js';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('a command check that passes leaves no timer behind (its 30 s timeout would keep the process alive)', async () => {
  const engine = {
    startContainer: async () => ({ exited: Promise.resolve(0), logTail: async () => [], remove: async () => undefined }),
  } as unknown as Engine;
  const before = timers();
  const result = await smokeCheck(engine, 'sha256:x', { command: ['true'], timeoutMs: 30_000 }, {}, new AbortController().signal);
  expect(result.status).toBe('ok');
  expect(timers()).toBe(before);
});

test('a check interrupted before it began waiting returns at once, not after its timeout', async () => {
  const controller = new AbortController();
  controller.abort();
  const engine = {
    startContainer: async () => ({ exited: new Promise<number>(() => undefined), logTail: async () => [], remove: async () => undefined }),
  } as unknown as Engine;
  const t0 = Date.now();
  const result = await smokeCheck(engine, 'sha256:x', { command: ['sleep', '60'], timeoutMs: 30_000 }, {}, controller.signal);
  expect(result).toMatchObject({ status: 'failed', reason: 'interrupted: the check was cancelled' });
  expect(Date.now() - t0).toBeLessThan(5_000);
});
