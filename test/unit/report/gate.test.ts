import type { GateReport, GateRow } from '../../../harness/compare/compare.js';
import { renderAnnotations } from '../../../harness/report/annotations.js';
import { GATE_COLUMNS, orderRows, renderGateMarkdown, renderGateTerminal, verdictLine } from '../../../harness/report/gate.js';

const MB = 1_000_000;
const base = { scenario: 'go-app', variant: 'multi' };
const sizeRule = { percent: 2, min: MB, on: 'fail' as const };
const pass: GateRow = { ...base, metric: 'size', baseline: 78 * MB, current: 78 * MB, delta: 0, percent: 0, status: 'pass', level: 'pass', reason: 'unchanged', rule: sizeRule };
const fail: GateRow = { ...base, metric: 'size', baseline: 78 * MB, current: 88.5 * MB, delta: 10.5 * MB, percent: 13.46, status: 'fail', level: 'fail', reason: 'grew past both +2 % and +1.00 MB', rule: sizeRule };
const warn: GateRow = { ...base, metric: 'layers', baseline: 3, current: 4, delta: 1, percent: 33.33, status: 'warn', level: 'warn', reason: 'grew, and any growth counts', rule: { percent: 0, min: 0, on: 'warn' } };
const missing: GateRow = { scenario: 'node-app', variant: 'prod', status: 'missing', level: 'fail', reason: 'in the baseline, but node-app has no variant prod now' };
const newRow: GateRow = { scenario: 'node-app', variant: 'slim', metric: 'size', current: 5 * MB, status: 'new', level: 'pass', reason: 'not in the baseline' };
const shrunk: GateRow = { ...base, variant: 'scratch', metric: 'size', baseline: 5 * MB, current: 4 * MB, delta: -1 * MB, percent: -20, status: 'pass', level: 'pass', reason: 'improved', rule: sizeRule };

const report = (rows: GateRow[], verdict: GateReport['verdict'] = 'fail'): GateReport => ({
  verdict,
  baseline: { createdAt: '2026-11-27T12:00:00.000Z', runId: 'b', commit: '0123456789abcdef' },
  current: { createdAt: '2026-11-28T12:00:00.000Z', runId: 'c' },
  rows,
  notes: ['not in this run (left out by --scenario or --shard), so not compared: x|y'],
  methods: {},
});

const cells = (row: GateRow) => Object.fromEntries(GATE_COLUMNS.map((c) => [c.header, c.value(row)]));

test('cells of a failing row', () => {
  expect(cells(fail)).toEqual({ Status: 'fail', Scenario: 'go-app', Variant: 'multi', Metric: 'size', Baseline: '78.0 MB', Current: '88.5 MB', Change: '+10.5 MB (+13.5 %)', Why: 'grew past both +2 % and +1.00 MB' });
});

test('new and missing say what they do to the verdict when it is not a pass', () => {
  expect(cells(missing).Status).toBe('missing (fail)');
  expect(cells(newRow).Status).toBe('new');
  expect(cells({ ...newRow, level: 'warn' }).Status).toBe('new (warn)');
  expect(cells(missing).Metric).toBe('—');
  expect(cells(newRow).Change).toBe('—');
});

test.each([
  ['a change too small for the percentage', { baseline: 100 * MB, current: 100 * MB + 400, delta: 400, percent: 0.0004 }, '100,000,000 B', '100,000,400 B', '+400 B (+<0.1 %)'],
  ['values that round alike are shown in exact bytes', { baseline: 1_234_000, current: 1_234_400, delta: 400, percent: 0.032 }, '1,234,000 B', '1,234,400 B', '+400 B (+<0.1 %)'],
  ['a growth that rounds to the minimum', { baseline: 10 * MB, current: 11 * MB + 400, delta: MB + 400, percent: 10.004 }, '10.0 MB', '11.0 MB', '+1,000,400 B (+10.0 %)'],
  ['a size that rounds to the cap', { baseline: 140 * MB, current: 150 * MB + 400, delta: 10 * MB + 400, percent: 7.1, cap: 150 * MB }, '140 MB', '150,000,400 B', '+10.0 MB (+7.1 %)'],
  ['from zero', { baseline: 0, current: 2 * MB, delta: 2 * MB, percent: undefined }, '0 B', '2.00 MB', '+2.00 MB (from 0)'],
  ['a shrink', { baseline: 5 * MB, current: 4 * MB, delta: -MB, percent: -20 }, '5.00 MB', '4.00 MB', '−1.00 MB (−20.0 %)'],
])('%s', (_name, values, baseline, current, change) => {
  const row = { ...pass, ...values } as GateRow;
  if (values.percent === undefined) delete row.percent;
  expect([cells(row).Baseline, cells(row).Current, cells(row).Change]).toEqual([baseline, current, change]);
});

test('changed rows first, worst first; unchanged rows after, in run order', () => {
  const { changed, unchanged } = orderRows([pass, newRow, shrunk, warn, fail, missing]);
  expect(changed).toEqual([fail, missing, warn, newRow, shrunk]);
  expect(unchanged).toEqual([pass]);
});

test('the verdict line counts what needs a look and names the baseline', () => {
  expect(verdictLine(report([pass, fail, warn, missing]))).toBe('FAIL: 2 failing rows, 1 warning row; baseline of 2026-11-27T12:00:00.000Z, commit 0123456789ab');
  expect(verdictLine(report([pass], 'pass'))).toBe('PASS: all 1 rows within their rules; baseline of 2026-11-27T12:00:00.000Z, commit 0123456789ab');
});

test('Markdown: changed rows in the table, the unchanged folded, notes escaped', () => {
  expect(renderGateMarkdown(report([pass, fail]))).toBe(
    [
      '### stagebench: FAIL',
      '',
      'FAIL: 1 failing row; baseline of 2026-11-27T12:00:00.000Z, commit 0123456789ab',
      '',
      '| Status | Scenario | Variant | Metric | Baseline | Current | Change | Why |',
      '| --- | --- | --- | --- | ---: | ---: | ---: | --- |',
      '| fail | go-app | multi | size | 78.0 MB | 88.5 MB | +10.5 MB (+13.5 %) | grew past both +2 % and +1.00 MB |',
      '',
      '<details><summary>1 more row</summary>',
      '',
      '| Status | Scenario | Variant | Metric | Baseline | Current | Change | Why |',
      '| --- | --- | --- | --- | ---: | ---: | ---: | --- |',
      '| pass | go-app | multi | size | 78.0 MB | 78.0 MB | 0 B (±0.0 %) | unchanged |',
      '',
      '</details>',
      '',
      '- not in this run (left out by --scenario or --shard), so not compared: x\\|y',
      '',
    ].join('\n'),
  );
  expect(renderGateMarkdown(report([pass], 'pass'))).toContain('No size or layer count changed.');
});

test('terminal: the same rows, failing first, and the verdict', () => {
  const text = renderGateTerminal(report([pass, fail]), { color: false });
  expect(text.indexOf('88.5 MB')).toBeLessThan(text.indexOf('unchanged'));
  expect(text).toContain('FAIL: 1 failing row');
  expect(text).toContain('note: not in this run');
});

test('annotations: worst first, ::error for failing rows, ::warning for warnings, nothing for passes; data and properties escaped', () => {
  const odd: GateRow = { ...missing, scenario: 'a,b:c', reason: '100% gone\nreally' };
  expect(renderAnnotations(report([pass, warn, odd, fail]))).toBe(
    [
      '::error title=stagebench%3A go-app/multi size::go-app/multi size fail: 78.0 MB → 88.5 MB (+10.5 MB (+13.5 %25)): grew past both +2 %25 and +1.00 MB',
      '::error title=stagebench%3A a%2Cb%3Ac/prod::a,b:c/prod missing: 100%25 gone%0Areally',
      '::warning title=stagebench%3A go-app/multi layers::go-app/multi layers warn: 3 → 4 (+1 (+33.3 %25)): grew, and any growth counts',
      '',
    ].join('\n'),
  );
});

test('annotations: a new variant is one warning, not one per metric; at most 10 of a kind, the last says how many more', () => {
  const newRows: GateRow[] = ['size', 'compressed', 'layers'].map((metric) => ({ ...newRow, metric: metric as GateRow['metric'], current: metric === 'layers' ? 3 : 5 * MB, level: 'warn' }));
  expect(renderAnnotations(report(newRows))).toBe('::warning title=stagebench%3A node-app/slim::node-app/slim new: not in the baseline (size 5.00 MB, pull size 5.00 MB, layers 3)\n');
  const many = Array.from({ length: 12 }, (_, i) => ({ ...fail, variant: `v${i}` }));
  const lines = renderAnnotations(report(many)).trimEnd().split('\n');
  expect(lines).toHaveLength(10);
  expect(lines[9]).toMatch(/^::error title=stagebench%3A go-app\/v9 size::.*\(and 2 more: see the job summary\)$/);
});

test('a percentage that would print as the rule\'s own gets more decimals', () => {
  const near = { ...fail, baseline: 341 * MB, current: 347_830_000, delta: 6_830_000, percent: 2.003 };
  expect(cells(near).Change).toBe('+6.83 MB (+2.003 %)');
  expect(cells({ ...near, percent: 1.99 }).Change).toBe('+6.83 MB (+1.99 %)');
  expect(cells({ ...near, percent: 12.04 }).Change).toBe('+6.83 MB (+12.0 %)');
  expect(cells({ ...near, percent: 2.0000004 }).Change).toBe('+6.83 MB (+2.0000004 %)');
  expect(cells({ ...near, percent: 1.99999 }).Change).toBe('+6.83 MB (+1.99999 %)');
  // A rule below 0.1 %: the percentage is shown, not "<0.1 %".
  expect(cells({ ...near, percent: 0.02, rule: { ...sizeRule, percent: 0.01 } }).Change).toBe('+6.83 MB (+0.02 %)');
});

test('build times that round alike are shown in exact ms', () => {
  const slow: GateRow = { ...base, metric: 'buildTime', baseline: 1000, current: 2004, delta: 1004, percent: 100.4, status: 'warn', level: 'warn', reason: 'r', rule: { percent: 10, min: 1000, on: 'warn' } };
  expect(cells(slow).Change).toBe('+1,004 ms (+100.4 %)');
});

test('the gate table fits 80 columns keeping Baseline: Change shows its percentage, then short reasons become footnotes', () => {
  // A single-image service (variant "default") whose build time and start-up time moved a lot, as a new user's
  // first gate run shows them: at 80 columns the table came out 81 wide and every "unchanged" wrapped.
  const svc = { scenario: 'worker', variant: 'default' };
  const timeRule = { percent: 10, min: 1000, on: 'warn' as const };
  const rows: GateRow[] = [
    { ...svc, metric: 'buildTime', baseline: 41, current: 1446, delta: 1405, percent: 3426.8, status: 'warn', level: 'warn', reason: 'grew past both +10 % and +1.00 s (build time is advisory)', rule: timeRule },
    { ...svc, metric: 'startTime', baseline: 272, current: 407, delta: 135, percent: 49.6, status: 'warn', level: 'warn', reason: 'grew past both +10 % and +100 ms (start-up time is advisory)', rule: { ...timeRule, min: 100 } },
    { ...svc, metric: 'size', baseline: 80 * MB, current: 80 * MB, delta: 0, percent: 0, status: 'pass', level: 'pass', reason: 'unchanged', rule: sizeRule },
    { ...svc, metric: 'compressed', baseline: 30 * MB, current: 29 * MB, delta: -1 * MB, percent: -3.3, status: 'pass', level: 'pass', reason: 'improved', rule: sizeRule },
  ];
  const text = renderGateTerminal(report(rows, 'warn'), { color: false, width: 80 });
  expect(Math.max(...text.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(80);
  expect(text.split('\n').slice(0, 10)).toEqual([
    'Status  Scenario  Variant  Metric         Baseline  Current     Change  Why',
    '─'.repeat(75),
    'warn    worker    default  build time        41 ms   1.45 s  +3426.8 %  [1]',
    'warn    worker    default  start-up time    272 ms   407 ms    +49.6 %  [2]',
    'pass    worker    default  pull size       30.0 MB  29.0 MB     −3.3 %  [3]',
    'pass    worker    default  size            80.0 MB  80.0 MB     ±0.0 %  [4]',
    '[1] grew past both +10 % and +1.00 s (build time is advisory)',
    '[2] grew past both +10 % and +100 ms (start-up time is advisory)',
    '[3] improved',
    '[4] unchanged',
  ]);
  expect(text).not.toContain('Not shown');
});

test('at 80 columns a size regression keeps its Baseline; narrower, Change gives way before Baseline', () => {
  const rows: GateRow[] = [
    { ...base, scenario: 'go-app', variant: 'multi', metric: 'size', baseline: 78.9 * MB, current: 88.9 * MB, delta: 10 * MB, percent: 12.7, status: 'fail', level: 'fail', reason: 'grew past both +2 % and +1.00 MB', rule: sizeRule },
    { ...base, scenario: 'node-app', variant: 'single', metric: 'startTime', baseline: 305, current: 305, delta: 0, percent: 0, status: 'pass', level: 'pass', reason: 'unchanged', rule: { percent: 10, min: 100, on: 'warn' } },
  ];
  const at = (width: number) => renderGateTerminal(report(rows, 'fail'), { color: false, width }).split('\n');
  // Wide enough for everything: the bytes of the change too.
  expect(at(100).slice(0, 4)).toEqual([
    'Status  Scenario  Variant  Metric         Baseline  Current              Change  Why',
    '─'.repeat(90),
    'fail    go-app    multi    size            78.9 MB  88.9 MB  +10.0 MB (+12.7 %)  [1]',
    'pass    node-app  single   start-up time    305 ms   305 ms       0 ms (±0.0 %)  unchanged',
  ]);
  expect(at(80).slice(0, 5)).toEqual([
    'Status  Scenario  Variant  Metric         Baseline  Current   Change  Why',
    '─'.repeat(79),
    'fail    go-app    multi    size            78.9 MB  88.9 MB  +12.7 %  [1]',
    'pass    node-app  single   start-up time    305 ms   305 ms   ±0.0 %  unchanged',
    '[1] grew past both +2 % and +1.00 MB',
  ]);
  const narrow = at(64);
  expect(narrow.slice(0, 3)).toEqual(['Status  Scenario  Variant  Metric         Baseline  Current  Why', '─'.repeat(64), 'fail    go-app    multi    size            78.9 MB  88.9 MB  [1]']);
  expect(narrow).toContain('Not shown at 64 columns: Change (--wide shows every column;');
  // Narrower still, Baseline goes last.
  expect(at(60).slice(0, 3)).toEqual(['Status  Scenario  Variant  Metric         Current  Why', '─'.repeat(54), 'fail    go-app    multi    size           88.9 MB  [1]']);
  expect(at(60)).toContain('Not shown at 60 columns: Baseline, Change (--wide shows');
});
