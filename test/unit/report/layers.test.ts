import { readFileSync } from 'node:fs';
import { renderLayers } from '../../../harness/report/layers.js';
import { wrap } from '../../../harness/report/wrap.js';
import { ResultsSchema } from '../../../harness/results/schema.js';

// The committed reference run of the lesson scenarios, with the waste of an image that deletes a build cache.
const lesson = ResultsSchema.parse(JSON.parse(readFileSync(new URL('../../../docs/reference/results.json', import.meta.url), 'utf8')));
const single = lesson.scenarios.find((s) => s.name === 'go-app')!.variants.find((v) => v.id === 'single')!;
Object.assign(single, { wastedBytes: 187_402_115, efficiency: 0.7286, wastedPaths: [{ path: '/root/.cache/go-build/1f/1f3c9a7b2e4d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8-d', bytes: 4_850_112, layer: 5 }] });

/** Lines of the output that start with a unit: its number ended the line before. */
const orphanUnits = (text: string) => text.split('\n').filter((l) => /^\s*(B|kB|MB|GB|TB|ms|s|min|%)(\W|$)/.test(l));

test.each([60, 80, 100])('stagebench layers at %i columns: no number is split from its unit, and every line fits', (width) => {
  const out = renderLayers(lesson, [], { color: false, width });
  expect(orphanUnits(out)).toEqual([]);
  expect(Math.max(...out.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(width);
});

test('the heading of a variant breaks before a number, never between it and its unit', () => {
  const heading = (width: number) => renderLayers(lesson, ['go-app'], { color: false, width }).split('\n\n')[1]!.split('\n').slice(0, 2);
  // At 80 columns "unique 4.85" / "MB, shared ..." was the break.
  expect(heading(80)).toEqual(['go-app › multi: 78.9 MB, 4.85 MB on top of its FROM image (74.0 MB); unique', '4.85 MB, shared 74.0 MB']);
  expect(heading(60)).toEqual(['go-app › multi: 78.9 MB, 4.85 MB on top of its FROM image', '(74.0 MB); unique 4.85 MB, shared 74.0 MB']);
  expect(heading(100)[0]).toBe('go-app › multi: 78.9 MB, 4.85 MB on top of its FROM image (74.0 MB); unique 4.85 MB, shared 74.0 MB');
  const wasted = renderLayers(lesson, ['go-app'], { color: false, width: 80 }).split('\n').filter((l, i, all) => l.startsWith('wasted') || all[i - 1]?.startsWith('wasted'));
  expect(wasted).toEqual([
    'wasted: 187 MB in files a later layer overwrites or deletes (72.8 % eff.);',
    'largest (layer: its place in the image, 1 = bottom):',
    // multi and scratch, as measured: nothing wasted.
    ...Array(2).fill(['wasted: 0 B in files a later layer overwrites or deletes (100.0 % eff.)', '']).flat(),
  ]);
});

test('wrap keeps sizes, percentages and durations with their numbers, punctuation included', () => {
  expect(wrap('grew by 4.85 MB, +2.1 %) in 1.25 s', 14)).toBe('grew by\n4.85 MB,\n+2.1 %) in\n1.25 s');
  expect(wrap('took 2 min 5 s', 9)).toBe('took\n2 min 5 s');
  // Not a unit: a word that only starts like one, or a unit after a word.
  expect(wrap('3 sizes', 3)).toBe('3\nsizes');
  expect(wrap('in MB', 3)).toBe('in\nMB');
});
