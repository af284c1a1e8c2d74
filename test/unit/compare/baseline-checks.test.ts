import { checkBaselineCandidate, checkComplete, checkEngine, checkGateKeys, compareWithBaseline } from '../../../harness/compare/baseline-checks.js';
import type { Results } from '../../../harness/results/schema.js';
import { results, variant } from '../results-fixture.js';

const MB = 1_000_000;
const doc = (edit: (r: Results) => void = () => {}) => {
  const r = results([variant('single', { sizeBytes: 300 * MB }), variant('multi', { sizeBytes: 80 * MB })]);
  edit(r);
  return r;
};

test('the same engine: accepted with no notes; another patch release: a note; another storage driver: refused unless allowed', () => {
  expect(checkEngine('b.json', doc(), doc(), false)).toEqual({ notes: [] });
  expect(checkEngine('b.json', doc(), doc((r) => (r.engine.serverVersion = '20.10.25')), false)).toEqual({ notes: ['engine 20.10.24 ≠ 20.10.25 (same release, compared)'] });
  const btrfs = doc((r) => (r.engine.storageDriver = 'btrfs'));
  expect(checkEngine('b.json', doc(), btrfs, false)).toEqual({
    refusal: {
      kind: 'engine-mismatch',
      message: "the baseline b.json was measured on another engine (storage driver: overlay2 ≠ btrfs): its sizes are not comparable with this one's",
      hint: 'refresh the baseline on this engine (stagebench baseline update), or pass --allow-engine-mismatch to compare anyway',
    },
  });
  expect(checkEngine('b.json', doc(), btrfs, true)).toEqual({ notes: ['compared across engines (--allow-engine-mismatch): storage driver: overlay2 ≠ btrfs'] });
});

test('gate keys must name a scenario or variant of the baseline, this run, or a scenario left out of it', () => {
  const gate = (...keys: string[]) => ({ scenarios: Object.fromEntries(keys.map((k) => [k, { maxLayers: 9 }])) });
  expect(checkGateKeys(gate('node-app', 'node-app/multi', 'go-app'), doc(), doc().scenarios, ['go-app'])).toBeUndefined();
  expect(checkGateKeys(gate('node-app/typo', 'nope', 'go-app/x'), doc(), doc().scenarios, ['go-app'])).toMatchObject({
    kind: 'unknown-gate-keys',
    message: 'gate.scenarios names what is neither in the baseline nor in this run: node-app/typo, nope',
  });
  // A slip names what it was meant to be.
  expect(checkGateKeys(gate('ndoe-app', 'node-app/mutli'), doc(), doc().scenarios, [])).toMatchObject({
    message: 'gate.scenarios names what is neither in the baseline nor in this run: ndoe-app (did you mean "node-app"?), node-app/mutli (did you mean "node-app/multi"?)',
  });
});

test('results of a run that did not complete are refused, naming its state and error', () => {
  expect(checkComplete(doc())).toBeUndefined();
  expect(checkComplete(doc((r) => (r.run = { id: 'x', status: 'error', error: 'engine went away' })))).toEqual({
    kind: 'incomplete',
    message: 'the results to compare come from a run that is error (engine went away): not everything was measured',
    hint: 'run `stagebench run` again once what stopped it is fixed (its error says what), and let it finish, then compare its results',
  });
  // An interrupted run has nothing to fix: it is run again to the end.
  expect(checkComplete(doc((r) => (r.run = { id: 'x', status: 'interrupted' })))?.hint).toBe('run `stagebench run` again and let it finish (this one was interrupted), then compare its results');
});

test('a baseline must be a complete run where everything built and passed, of every shard', () => {
  expect(checkBaselineCandidate('r.json', doc())).toBeUndefined();
  expect(checkBaselineCandidate('r.json', doc((r) => (r.run.status = 'interrupted')))).toEqual({
    kind: 'not-a-baseline',
    message: 'r.json cannot be the baseline: the run is interrupted',
    hint: 'run `stagebench run` again and let it finish (this one was interrupted), then `stagebench baseline update`',
  });
  const smokeFailed = doc((r) => (r.scenarios[0]!.variants[1]!.smoke = { status: 'failed', check: 'c', ms: 1, reason: 'r' }));
  expect(checkBaselineCandidate('r.json', smokeFailed)?.message).toBe('r.json cannot be the baseline: node-app/multi did not build or pass the smoke check');
  expect(checkBaselineCandidate('r.json', smokeFailed)?.hint).toBe('fix what failed (its row and warnings say why) and run `stagebench run` again, then `stagebench baseline update`');
  const shard = doc((r) => (r.selection = { available: ['node-app'], shard: { index: 1, count: 2 } }));
  expect(checkBaselineCandidate('r.json', shard)).toMatchObject({ kind: 'not-a-baseline', message: expect.stringContaining('holds only shard 1/2') });
});

test('compare, decided: refusals in order (incomplete before engine before keys), else the report with the engine notes first', () => {
  const input = (current: Results, gate = {}) => ({ file: 'b.json', baseline: doc(), current, gate, allowMismatch: false });
  const both = doc((r) => {
    r.run.status = 'interrupted';
    r.engine.storageDriver = 'btrfs';
  });
  expect(compareWithBaseline(input(both))).toMatchObject({ refusal: { kind: 'incomplete' } });
  expect(compareWithBaseline(input(doc((r) => (r.engine.storageDriver = 'btrfs')), { scenarios: { nope: {} } }))).toMatchObject({ refusal: { kind: 'engine-mismatch' } });
  expect(compareWithBaseline(input(doc(), { scenarios: { nope: {} } }))).toMatchObject({ refusal: { kind: 'unknown-gate-keys' } });
  const decided = compareWithBaseline(input(doc((r) => (r.engine.serverVersion = '20.10.25'))));
  expect('report' in decided && decided.report.verdict).toBe('pass');
  expect('report' in decided && decided.report.notes[0]).toBe('engine 20.10.24 ≠ 20.10.25 (same release, compared)');
});
