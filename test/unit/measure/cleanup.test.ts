import { RUN_LABEL } from '../../../harness/measure/labels.js';
import { cleanUpRun } from '../../../harness/measure/cleanup.js';
import { fakeEngine } from '../cli/fake-engine.js';

const made = { containers: ['c1'], images: ['sha256:stage'], tags: ['stagebench/app:multi-run1'] };
const before = new Set(['cached']);

test("removes what the run made: its tags, images and containers, and every container carrying the run's label", async () => {
  const engine = fakeEngine();
  expect(await cleanUpRun(engine, made, before, 'run1', [])).toEqual([]);
  expect(engine.cleanups).toEqual([{ made, before, label: [RUN_LABEL, 'run1'] }]);
});

test("--keep-images: each variant's tag on its last image stays; earlier rounds' images and the build leftovers still go", async () => {
  const engine = fakeEngine();
  await cleanUpRun(engine, made, before, 'run1', ['stagebench/app:multi-run1']);
  expect(engine.cleanups).toEqual([{ made, before, label: [RUN_LABEL, 'run1'], keep: ['stagebench/app:multi-run1'] }]);
});

test('what could not be removed is returned; a clean-up that throws becomes one such line', async () => {
  expect(await cleanUpRun(fakeEngine({ cleanupProblems: ['image sha256:x: in use'] }), made, before, 'r', [])).toEqual(['image sha256:x: in use']);
  const throwing = { ...fakeEngine(), cleanup: async () => Promise.reject(new Error('engine went away')) };
  expect(await cleanUpRun(throwing, made, before, 'r', [])).toEqual(['engine went away; what this run made may be left on the engine: once it answers again, `stagebench clean r` removes it']);
});
