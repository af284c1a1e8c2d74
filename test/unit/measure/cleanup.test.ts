import { RUN_LABEL } from '../../../harness/measure/labels.js';
import { cleanUpRun } from '../../../harness/measure/cleanup.js';
import { fakeEngine } from '../cli/fake-engine.js';

const made = { containers: ['c1'], images: ['sha256:stage'] };

test("removes what the run made and everything carrying the run's label", async () => {
  const engine = fakeEngine();
  expect(await cleanUpRun(engine, made, 1000, 'run1', false)).toEqual([]);
  expect(engine.cleanups).toEqual([{ made, since: 1000, label: [RUN_LABEL, 'run1'] }]);
});

test('--keep-images: the labelled images stay, the unlabelled leftovers still go', async () => {
  const engine = fakeEngine();
  await cleanUpRun(engine, made, 1000, 'run1', true);
  expect(engine.cleanups).toEqual([{ made, since: 1000 }]);
});

test('what could not be removed is returned; a clean-up that throws becomes one such line', async () => {
  expect(await cleanUpRun(fakeEngine({ cleanupProblems: ['image sha256:x: in use'] }), made, 0, 'r', false)).toEqual(['image sha256:x: in use']);
  const throwing = { ...fakeEngine(), cleanup: async () => Promise.reject(new Error('engine went away')) };
  expect(await cleanUpRun(throwing, made, 0, 'r', false)).toEqual(['engine went away']);
});
