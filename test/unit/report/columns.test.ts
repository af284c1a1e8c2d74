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
