import { END, replaceBetweenMarkers, START } from '../../../harness/report/markers.js';

test('replaces between the markers, keeps them, and is idempotent', () => {
  const doc = `# Title\n${START}\nold table\n${END}\nafter\n`;
  const once = replaceBetweenMarkers(doc, '| new |\n');
  expect(once).toBe(`# Title\n${START}\n| new |\n${END}\nafter\n`);
  expect(replaceBetweenMarkers(once!, '| new |\n')).toBe(once);
});

test('no markers, or only one: undefined', () => {
  expect(replaceBetweenMarkers('text', 'x')).toBeUndefined();
  expect(replaceBetweenMarkers(`${START} only`, 'x')).toBeUndefined();
});
