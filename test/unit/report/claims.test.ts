import { existsSync, readFileSync } from 'node:fs';
import { ClaimsFileSchema, type ClaimsFile } from '../../../harness/config/schemas.js';
import { judgeClaims, renderClaims } from '../../../harness/report/claims.js';
import { ResultsSchema } from '../../../harness/results/schema.js';
import { results, variant } from '../results-fixture.js';

const claims: ClaimsFile = {
  title: 't',
  source: 's',
  claims: [
    { text: '83 % smaller', scenario: 'node-app', variants: ['multi', 'prod', 'gone'], check: { kind: 'reduction', percent: 83 } },
    { text: 'about 150 MB', scenario: 'node-app', variants: ['multi', 'prod'], check: { kind: 'size', minBytes: 120e6, maxBytes: 180e6, comparableBases: ['node:24-alpine'] } },
    { text: 'tools gone', scenario: 'node-app', variants: ['multi', 'prod', 'single'], check: { kind: 'absent', items: ['tsc'] } },
  ],
};

const doc = results([
  variant('single', { sizeBytes: 900_000_000 }),
  variant('multi', { sizeBytes: 160_000_000, contains: { tsc: { present: true, paths: ['/app/node_modules/typescript'] } } }),
  variant('prod', { sizeBytes: 400_000_000, baseImages: ['local/node:18'], contains: { tsc: { present: false, paths: [] } } }),
]);

test('verdicts: held, did not hold, and cannot be checked, with the reason', () => {
  expect(judgeClaims(claims, doc).map((r) => [r.variant, r.verdict, r.measured])).toEqual([
    ['multi', 'held', '−82.2 % (900 MB → 160 MB)'],
    ['prod', 'did not hold', '−55.6 % (900 MB → 400 MB)'],
    ['gone', 'cannot be checked here', '—'],
    ['multi', 'held', '160 MB'],
    ['prod', 'cannot be checked here', '400 MB'],
    ['multi', 'did not hold', 'ships: tsc (/app/node_modules/typescript)'],
    ['prod', 'held', 'none of: tsc'],
    ['single', 'cannot be checked here', '900 MB'],
  ]);
  const prodReduction = judgeClaims(claims, doc)[1]!;
  expect(prodReduction.why).toBe('claimed 83 % smaller; held means at least 75 %. The final stage also switches base image, so part of the change is the base, not multi-stage.');
});

test('the reduction threshold is 90 % of the claim, inclusive', () => {
  const at = (size: number) => judgeClaims({ ...claims, claims: [claims.claims[0]!] }, results([variant('single', { sizeBytes: 1000 }), variant('multi', { sizeBytes: size })]))[0]!.verdict;
  expect(at(253)).toBe('held'); // 74.7 % saved ≥ 74.7
  expect(at(254)).toBe('did not hold');
});

test('docs/claims.md is what `npm run docs` generates from the committed results', () => {
  if (!existsSync(new URL('../../../docs/reference/results.json', import.meta.url))) throw new Error('docs/reference/results.json is missing (see the README: refreshing the reference run)');
  const committed = ClaimsFileSchema.parse(JSON.parse(readFileSync(new URL('../../../docs/lesson-claims.json', import.meta.url), 'utf8')));
  const latest = ResultsSchema.parse(JSON.parse(readFileSync(new URL('../../../docs/reference/results.json', import.meta.url), 'utf8')));
  expect(readFileSync(new URL('../../../docs/claims.md', import.meta.url), 'utf8')).toBe(renderClaims(committed, latest, 'docs/reference/results.json'));
});
