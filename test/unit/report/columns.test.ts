import { headerText, rowsOf, runColumns } from '../../../harness/report/columns.js';
import { renderMarkdown } from '../../../harness/report/markdown.js';
import { results, variant } from '../results-fixture.js';

const stats = (median: number, mad: number, n: number) => ({ median, mad, n, mean: median, stddev: mad, min: median - mad, max: median + mad, outliers: [] });
const timed = (id: string, n: number) => variant(id, { buildMs: 1200, buildStats: stats(1200, 100, n), startMs: 210, startStats: stats(210, 4, n) });

const cells = (doc: ReturnType<typeof results>, header: string) => {
  const column = runColumns(rowsOf(doc)).find((c) => c.header === header)!;
  return { header: headerText(column), cells: rowsOf(doc).map((r) => column.value(r)) };
};

test('a statistics column whose rows share n says it once, in its header', () => {
  const doc = results([timed('single', 3), timed('multi', 3)]);
  expect(cells(doc, 'Build time')).toEqual({ header: 'Build time (n=3)', cells: ['1.20 s ± 0.10 s', '1.20 s ± 0.10 s'] });
  expect(cells(doc, 'Start-up')).toEqual({ header: 'Start-up (n=3)', cells: ['210 ms ± 4 ms', '210 ms ± 4 ms'] });
  expect(renderMarkdown(doc)).toContain('| Build time (n=3) |');
});

test('rows with different n keep theirs in each cell; a single build has no statistics', () => {
  expect(cells(results([timed('single', 3), timed('multi', 5)]), 'Build time')).toEqual({ header: 'Build time', cells: ['1.20 s ± 0.10 s (n=3)', '1.20 s ± 0.10 s (n=5)'] });
  expect(cells(results([variant('single', { buildMs: 1200 }), timed('multi', 3)]), 'Build time')).toEqual({ header: 'Build time', cells: ['1.20 s', '1.20 s ± 0.10 s (n=3)'] });
});

/** A column's compact cells, the form a narrow terminal shows. */
const compactCells = (doc: ReturnType<typeof results>, header: string) => {
  const column = runColumns(rowsOf(doc)).find((c) => c.header === header)!;
  return rowsOf(doc).map((r) => column.compact!.value(r));
};

test('compact build time says the shared unit once, after both numbers; its n stays where the header does not say it', () => {
  expect(compactCells(results([timed('single', 3), timed('multi', 3)]), 'Build time')).toEqual(['1.20 ± 0.10 s', '1.20 ± 0.10 s']);
  expect(compactCells(results([variant('single', { buildMs: 1200 }), timed('multi', 5)]), 'Build time')).toEqual(['1.20 s', '1.20 ± 0.10 s (n=5)']);
  const fast = (id: string) => variant(id, { buildMs: 640, buildStats: stats(640, 12, 3) });
  expect(compactCells(results([fast('single'), fast('multi')]), 'Build time')).toEqual(['640 ± 12 ms', '640 ± 12 ms']);
  const modes = variant('single', { buildMs: 9000, modeStats: { cold: stats(9000, 400, 3), warm: stats(800, 20, 3) } });
  expect(cells(results([modes]), 'Build time').cells).toEqual(['cold 9.00 s ±0.40 s · warm 0.80 s ±0.02 s']);
  expect(compactCells(results([modes]), 'Build time')).toEqual(['cold 9.00 ±0.40 s · warm 0.80 ±0.02 s']);
});

test('compact "vs single" is its percentage; the full cell, in every other format, keeps the bytes', () => {
  const doc = results([variant('single', { sizeBytes: 300_000_000 }), variant('multi', { sizeBytes: 80_000_000 })]);
  expect(compactCells(doc, 'vs single')).toEqual(['—', '−73.3 %']);
  expect(cells(doc, 'vs single').cells).toEqual(['—', '−73.3 % (−220 MB)']);
  expect(renderMarkdown(doc)).toContain('| −73.3 % (−220 MB) |');
});
