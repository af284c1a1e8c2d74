import { startupRounds } from '../../../harness/measure/startup.js';
import { fakeEngine } from '../cli/fake-engine.js';

const smoke = { command: ['/bin/true'], timeoutMs: 50 };
const signal = new AbortController().signal;

test('one start per round: warm-ups untimed, the timed ones give startMs and its statistics', async () => {
  const engine = fakeEngine({ smokeExit: 0 });
  const out = await startupRounds(engine, 'sha256:img', smoke, {}, signal, { runs: 3, warmup: 1 }, undefined);
  expect(engine.containers).toHaveLength(4);
  expect(out.startSamples).toHaveLength(3);
  expect(out.startStats!.n).toBe(3);
  expect(out.startMs).toBe(Math.round(out.startStats!.median));
  expect(out.smoke!.status).toBe('ok');
});

test('a single start gives startMs without statistics; a failing check ends the rounds and gives no start-up time', async () => {
  const one = await startupRounds(fakeEngine({ smokeExit: 0 }), 'i', smoke, {}, signal, { runs: 1, warmup: 0 }, undefined);
  expect([one.startMs !== undefined, one.startStats, one.startSamples]).toEqual([true, undefined, undefined]);
  const engine = fakeEngine({ smokeExit: 3 });
  const failed = await startupRounds(engine, 'i', smoke, {}, signal, { runs: 5, warmup: 0 }, undefined);
  expect(engine.containers).toHaveLength(1);
  expect(failed).toEqual({ smoke: expect.objectContaining({ status: 'failed', reason: 'exited with 3' }) });
});
