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

test("a scenario whose reference is not single: reductions, packages and deploys are against it, and named for it", () => {
  const packages = (n: number) => ({ deb: Array.from({ length: n }, (_, i) => `p${i} 1`) });
  const deploy = (bytes: number, ms: number) => ({ configBytes: 1000, withBaseBytes: bytes, withoutBaseBytes: bytes / 2, fetchedBytes: bytes, deployMs: ms, pullMs: ms - 100, startMs: 100, layers: [] });
  const shop = results(
    [
      variant('default', { sizeBytes: 1_000_000, packages: packages(5), deploy: deploy(400_000, 900) }),
      variant('prod', { sizeBytes: 250_000, contains: { tsc: { present: false, paths: [] } }, packages: packages(2), deploy: deploy(100_000, 600) }),
      // Called single, but only a variant here: the reduction is measured against default.
      variant('single', { sizeBytes: 2_000_000 }),
    ],
    'default',
  );
  const rows = judgeClaims(
    {
      ...claims,
      claims: [
        { text: '75 % smaller', scenario: 'node-app', variants: ['prod', 'single', 'default'], check: { kind: 'reduction', percent: 75 } },
        { text: 'tools gone', scenario: 'node-app', variants: ['prod'], check: { kind: 'absent', items: ['tsc'] } },
        { text: 'faster', scenario: 'node-app', variants: ['prod'], check: { kind: 'faster-deploy' } },
      ],
    },
    { ...shop, deploy: { registry: 'docker-registry 2.8.2+ds1' } },
  );
  expect(rows.map((r) => [r.variant, r.verdict, r.measured])).toEqual([
    ['prod', 'held', '−75.0 % (1.00 MB → 250 kB)'],
    ['single', 'did not hold', '+100.0 % (1.00 MB → 2.00 MB)'],
    ['default', 'cannot be checked here', '1.00 MB'],
    ['prod', 'held', 'none of: tsc'],
    ['prod', 'cannot be checked here', 'download with the base: 100 kB (default 400 kB); without: 50.0 kB (default 200 kB); pull + start 600 ms (default 900 ms)'],
  ]);
  expect(rows[2]!.why).toBe("default is the scenario's reference, the one the others are compared with");
  expect(rows[3]!.why).toBe('not in the image; packages shipped: deb 2 (default: deb 5; `stagebench packages node-app default prod` lists them)');
  expect(rows[4]!.why).toContain('(prod: 1 timed round; default: 1 timed round)');
  const failed = results([variant('default', { status: 'failed' }), variant('prod', { sizeBytes: 1 })], 'default');
  expect(judgeClaims({ ...claims, claims: [claims.claims[0]!] }, failed).map((r) => [r.variant, r.why])[0]).toEqual(['multi', 'node-app › multi did not build in this run']);
  expect(judgeClaims({ ...claims, claims: [{ ...claims.claims[0]!, variants: ['prod'] }] }, failed)[0]!.why).toBe("default (the scenario's reference) did not build in this run");
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

/** A deploy record: bytes a host with / without the base downloads, and the timed pull + start samples (MAD 10 ms unless given). */
const deploy = (withBase: number, withoutBase: number, samples: number[], fetched = withBase, mad = 10) => ({
  configBytes: 1000,
  layers: [],
  withBaseBytes: withBase,
  withoutBaseBytes: withoutBase,
  fetchedBytes: fetched,
  pullMs: 0,
  startMs: 0,
  deployMs: [...samples].sort((a, b) => a - b)[1]!,
  deployStats: { n: samples.length, median: [...samples].sort((a, b) => a - b)[1]!, mean: 0, stddev: 0, min: 0, max: 0, mad, outliers: [] },
  downloadMs: { withBase: Math.round((withBase * 8) / 100_000), withoutBase: Math.round((withoutBase * 8) / 100_000) },
});
const deployClaim: ClaimsFile = { title: 't', source: 's', claims: [{ text: 'faster deploys', scenario: 'node-app', variants: ['multi', 'prod'], check: { kind: 'faster-deploy' } }] };

test('faster deploys: held on fewer bytes and a lower pull + start median, with the figures; not measured is said plainly', () => {
  const measured = {
    ...results([
      variant('single', { sizeBytes: 900_000_000, deploy: deploy(120_000_000, 160_000_000, [900, 1000, 1100]) }),
      variant('multi', { sizeBytes: 160_000_000, deploy: deploy(50_000_000, 90_000_000, [400, 500, 600]) }),
      // Fewer bytes, yet not faster here: the verdict says which half failed.
      variant('prod', { sizeBytes: 150_000_000, baseImages: ['scratch'], deploy: deploy(40_000_000, 80_000_000, [1000, 1200, 1300], 1000) }),
    ]),
    deploy: { registry: 'docker-registry 2.8.2+ds1', bandwidth: '100Mbit', bitsPerSecond: 100_000_000 },
  };
  const [multi, prod] = judgeClaims(deployClaim, measured);
  expect(multi!.verdict).toBe('held');
  expect(multi!.measured).toBe('download with the base: 50.0 MB, 4.00 s (single 120 MB, 9.60 s); without: 90.0 MB, 7.20 s (single 160 MB, 12.8 s); pull + start 500 ms ± 10 ms (n=3) (single 1.00 s ± 10 ms (n=3))');
  expect(multi!.why).toContain('Download times at 100Mbit, computed from the exact bytes.');
  expect(prod!.verdict).toBe('did not hold');
  expect(prod!.why).toContain('fewer bytes, not faster');
  expect(prod!.why).toContain('its timed pulls fetched 1.00 kB (single 120 MB)');
  // Another final base: the bytes "with the base" are each one's own, said as a confound.
  expect(prod!.why).toContain('Its final stage starts from scratch, single\'s from node:24-alpine: "with the base" is each one\'s own');
  expect(multi!.why).not.toContain('Its final stage');

  const unmeasured = judgeClaims(deployClaim, results([variant('single', { sizeBytes: 900_000_000 }), variant('multi', { sizeBytes: 160_000_000 }), variant('prod', { sizeBytes: 150_000_000 })]));
  expect(unmeasured.map((r) => [r.verdict, r.measured, r.why])).toEqual([
    ['cannot be checked here', '—', 'deploy time was not measured in this run; `stagebench run --deploy --bandwidth 100Mbit` measures it'],
    ['cannot be checked here', '—', 'deploy time was not measured in this run; `stagebench run --deploy --bandwidth 100Mbit` measures it'],
  ]);
});

test('faster deploys: a pull + start median within the noise decides nothing (a spread warning, or fewer than 3 rounds); the bytes still decide a \'did not hold\'', () => {
  const run = (single: ReturnType<typeof deploy>, multi: ReturnType<typeof deploy>) =>
    judgeClaims(deployClaim, {
      ...results([variant('single', { sizeBytes: 900_000_000, deploy: single }), variant('multi', { sizeBytes: 160_000_000, deploy: multi }), variant('prod', { sizeBytes: 150_000_000 })]),
      deploy: { registry: 'docker-registry 2.8.2+ds1' },
    })[0]!;
  // single's MAD is 48 % of its median (n=3): the run warned, so the lower median of multi holds nothing.
  const noisy = run(deploy(120_000_000, 160_000_000, [1200, 2220, 3300], undefined, 1060), deploy(50_000_000, 90_000_000, [1700, 1830, 2000]));
  expect(noisy.verdict).toBe('cannot be checked here');
  expect(noisy.why).toContain('over at least 3 timed rounds each with MAD within 10 % of the median; fewer bytes (a faster download at any bandwidth), but the pull + start difference is within the noise (single: MAD 48 % of the median)');
  // Two timed rounds each: too few to decide, whatever the medians.
  const few = run(deploy(120_000_000, 160_000_000, [900, 1000]), deploy(50_000_000, 90_000_000, [400, 500]));
  expect(few.verdict).toBe('cannot be checked here');
  expect(few.why).toContain('within the noise (multi: 2 timed rounds; single: 2 timed rounds)');
  // Not fewer bytes: did not hold, noise or not.
  expect(run(deploy(50_000_000, 90_000_000, [900, 1000]), deploy(50_000_000, 90_000_000, [400, 500])).verdict).toBe('did not hold');
});
