import { diffPackages, renderPackages } from '../../../harness/report/packages.js';
import { results, variant } from '../results-fixture.js';

const multi = { deb: ['libc6@2.36-9', 'nodejs@18.20.4'], npm: ['express@5.3.0', 'typescript@5.9.3', 'esbuild@0.28.2', '@types/node@20.1.0', 'debug@4.3.1'] };
const prod = { deb: ['libc6@2.36-9', 'nodejs@18.20.4'], npm: ['express@5.3.0', 'debug@4.3.4'] };

test('what one variant ships that another does not, by name, with version changes apart', () => {
  expect(diffPackages(multi, prod)).toEqual([{ ecosystem: 'npm', only: ['typescript@5.9.3', 'esbuild@0.28.2', '@types/node@20.1.0'], changed: [{ name: 'debug', a: '4.3.1', b: '4.3.4' }] }]);
  expect(diffPackages(prod, multi)).toEqual([{ ecosystem: 'npm', only: [], changed: [{ name: 'debug', a: '4.3.4', b: '4.3.1' }] }]);
  expect(diffPackages(prod, prod)).toEqual([]);
});

test('stagebench packages: two variants list the packages, none gives every pair in counts', () => {
  const r = results([variant('multi', { packages: multi }), variant('prod', { packages: prod })]);
  expect(renderPackages(r, 'node-app', ['multi', 'prod'])).toBe(
    'node-app: multi (deb 2, npm 5); prod (deb 2, npm 2)\n\n' +
      'multi ships 3 packages that prod does not, and 1 at another version (npm 4)\n' +
      '  + npm typescript@5.9.3\n  + npm esbuild@0.28.2\n  + npm @types/node@20.1.0\n  ~ npm debug 4.3.1 (prod: 4.3.4)\n',
  );
  expect(renderPackages(r, 'node-app', [])).toBe(
    'node-app: multi (deb 2, npm 5); prod (deb 2, npm 2)\n\n' +
      'multi ships 3 packages that prod does not, and 1 at another version (npm 4)\n\n' +
      'prod ships 0 packages that multi does not, and 1 at another version (npm 1)\n\n' +
      'Name one or two variants for the packages themselves:\n  stagebench packages node-app multi prod\n',
  );
});

test('stagebench packages: a scenario of one image (what init makes) lists that image\'s own packages when it is named', () => {
  const r = results([variant('default', { packages: prod })]);
  expect(renderPackages(r, 'node-app', [])).toBe('node-app: default (deb 2, npm 2)\n\nName the variant for the packages themselves:\n  stagebench packages node-app default\n');
  expect(renderPackages(r, 'node-app', ['default'])).toBe(
    'node-app: default (deb 2, npm 2)\n\ndefault ships:\n  deb libc6@2.36-9\n  deb nodejs@18.20.4\n  npm express@5.3.0\n  npm debug@4.3.4\n',
  );
});

test('the claims page answers "more secure because the build tools are gone" with the package counts too', async () => {
  const { judgeClaims } = await import('../../../harness/report/claims.js');
  const r = results([
    variant('single', { sizeBytes: 3, packages: { npm: ['a@1', 'typescript@5.9.3'] }, contains: { tsc: { present: true, paths: ['/x'] } } }),
    variant('prod', { sizeBytes: 2, packages: { npm: ['a@1'] }, contains: { tsc: { present: false, paths: [] } } }),
  ]);
  const claims = { title: 't', source: 's', claims: [{ text: 'secure', scenario: 'node-app', variants: ['prod'], check: { kind: 'absent' as const, items: ['tsc'] } }] };
  expect(judgeClaims(claims, r)[0]!.why).toBe('not in the image; packages shipped: npm 1 (single: npm 2; `stagebench packages node-app single prod` lists them)');
});

test('stagebench packages: the summary lines fit the terminal, wrapped between words', () => {
  const r = results([variant('single', { packages: multi }), variant('multi', { packages: multi }), variant('prod', { packages: prod })]);
  const text = renderPackages(r, 'node-app', [], 60);
  expect(text.split('\n').every((l) => l.length <= 60)).toBe(true);
  expect(text).toContain('node-app: single (deb 2, npm 5); multi (deb 2, npm 5); prod\n  (deb 2, npm 2)\n');
  expect(text).toContain('Name one or two variants for the packages themselves:\n  stagebench packages node-app single multi\n');
  // Without a width (as before), nothing is wrapped.
  expect(renderPackages(r, 'node-app', [])).toContain('node-app: single (deb 2, npm 5); multi (deb 2, npm 5); prod (deb 2, npm 2)\n');
});

test('images with no package database: said, naming the databases stagebench reads, not an empty list', () => {
  const one = results([variant('default', { packages: {} })]);
  const none = 'none of the package databases stagebench reads (dpkg, apk, npm, Go build info) was found';
  for (const named of [[], ['default']]) expect(renderPackages(one, 'node-app', named)).toBe(`node-app: default (none found)\n\ndefault: ${none} in the image\n`);
  const two = results([variant('single', { packages: {} }), variant('prod', { packages: {} })]);
  expect(renderPackages(two, 'node-app', ['single', 'prod'])).toBe(`node-app: single (none found); prod (none found)\n\nsingle and prod: ${none} in either image\n`);
  // No pair to list: no hint to name one.
  expect(renderPackages(two, 'node-app', [])).toBe(`node-app: single (none found); prod (none found)\n\nsingle and prod: ${none} in either image\n\nprod and single: ${none} in either image\n`);
});

test('a hint\'s command is never broken across lines at 80 columns: it stands on its own line', () => {
  const r = results([variant('single', { packages: multi }), variant('prod', { packages: prod })]);
  const text = renderPackages(r, 'node-app', [], 80);
  expect(text.endsWith('\n\nName one or two variants for the packages themselves:\n  stagebench packages node-app single prod\n')).toBe(true);
  // Narrower than the command: the prose wraps, the command does not.
  const one = renderPackages(results([variant('default', { packages: prod })]), 'node-app', [], 30);
  expect(one.endsWith('\n\nName the variant for the\n  packages themselves:\n  stagebench packages node-app default\n')).toBe(true);
});
