import { exitCode } from '../../../harness/cli/exit-code.js';
import { results, variant } from '../results-fixture.js';

test.each([
  ['every variant built and smoke-passed', [variant('single'), variant('multi', { smoke: { status: 'ok', check: 'c', ms: 1 } })], 'complete', 0],
  ['a variant failed to build', [variant('single'), variant('multi', { status: 'failed', error: { message: 'x', logTail: [] } })], 'complete', 3],
  ['a smoke check failed', [variant('single', { smoke: { status: 'failed', check: 'c', ms: 1, reason: 'r' } })], 'complete', 3],
  ['interrupted wins', [variant('single', { status: 'failed', error: { message: 'interrupted', logTail: [] } })], 'interrupted', 130],
] as const)('%s', (_name, variants, status, code) => {
  const doc = results([...variants]);
  doc.run.status = status;
  expect(exitCode({ kind: 'results', results: doc })).toBe(code);
});

test.each([
  ['pass', 0],
  ['warn', 0],
  ['fail', 1],
  ['error', 3],
] as const)('a %s verdict exits %d', (verdict, code) => expect(exitCode({ kind: 'verdict', verdict })).toBe(code));
