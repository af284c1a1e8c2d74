import { builderLabel, engineName, storeName } from '../engine/engine-kind.js';
import type { ClaimsFile } from '../config/schemas.js';
import type { Results, VariantResult } from '../results/schema.js';
import { cell } from './markdown.js';
import { referenceOf } from '../results/summarize.js';
import { formatBytes, formatChange, formatMs } from '../format/units.js';
import { spreadWarning, WIDE_SPREAD } from '../stats/summary.js';

export type Verdict = 'held' | 'did not hold' | 'cannot be checked here';

type Claim = ClaimsFile['claims'][number];

export interface ClaimRow {
  text: string;
  scenario: string;
  variant: string;
  measured: string;
  verdict: Verdict;
  why: string;
}

/** Held when the measured reduction is at least this share of the claimed one. */
const REDUCTION_SHARE = 0.9;

function judge(claim: Claim, results: Results, variantId: string): Omit<ClaimRow, 'text' | 'scenario' | 'variant'> {
  const scenario = results.scenarios.find((s) => s.name === claim.scenario);
  const v: VariantResult | undefined = scenario?.variants.find((x) => x.id === variantId);
  if (!scenario || !v || v.status !== 'ok' || v.sizeBytes === undefined) {
    return { measured: '—', verdict: 'cannot be checked here', why: `${claim.scenario} › ${variantId} did not build in this run` };
  }
  const size = formatBytes(v.sizeBytes);
  const check = claim.check;
  switch (check.kind) {
    case 'reduction': {
      const reference = referenceOf(scenario);
      const c = scenario.comparisons.find((x) => x.variant === variantId);
      if (!c) return { measured: size, verdict: 'cannot be checked here', why: variantId === reference ? `${reference} is the scenario's reference, the one the others are compared with` : `${reference} (the scenario's reference) did not build in this run` };
      const held = c.percentSaved >= check.percent * REDUCTION_SHARE;
      const confound = c.switchesBase ? ' The final stage also switches base image, so part of the change is the base, not multi-stage.' : '';
      return {
        measured: `${formatChange(c.percentSaved)} (${formatBytes(scenario.variants.find((x) => x.id === reference)!.sizeBytes!)} → ${size})`,
        verdict: held ? 'held' : 'did not hold',
        why: `claimed ${check.percent} % smaller; held means at least ${Math.round(check.percent * REDUCTION_SHARE)} %.${confound}`,
      };
    }
    case 'size': {
      const range = `${formatBytes(check.minBytes)}–${formatBytes(check.maxBytes)}`;
      if (!v.baseImages.some((b) => check.comparableBases.includes(b))) {
        return {
          measured: size,
          verdict: 'cannot be checked here',
          why: `claimed ${range}, on ${check.comparableBases.join(' or ')}; an absolute size depends on the base image, and this run's is ${v.baseImages.join(', ')}`,
        };
      }
      const held = v.sizeBytes >= check.minBytes && v.sizeBytes <= check.maxBytes;
      return { measured: size, verdict: held ? 'held' : 'did not hold', why: `claimed ${range}` };
    }
    case 'absent': {
      const missing = check.items.filter((item) => v.contains?.[item] === undefined);
      if (missing.length > 0) return { measured: size, verdict: 'cannot be checked here', why: `not checked in this run: ${missing.join(', ')}` };
      const found = check.items.filter((item) => v.contains?.[item]?.present);
      const packages = packagesAgainstReference(scenario.name, referenceOf(scenario), scenario.variants, v);
      return found.length === 0
        ? { measured: `none of: ${check.items.join(', ')}`, verdict: 'held', why: `not in the image${packages}` }
        : { measured: `ships: ${found.map((f) => `${f} (${v.contains![f]!.paths.join(', ')})`).join('; ')}`, verdict: 'did not hold', why: `found in the final image${packages}` };
    }
    case 'faster-deploy':
      return judgeDeploy(results, referenceOf(scenario), scenario.variants, v);
  }
}

/** Timed rounds each side needs before its pull + start median decides the time half of the deploy claim. */
const DEPLOY_MIN_ROUNDS = 3;

/**
 * "Smaller images = faster pulls and deployments", against the scenario's reference (single in the lesson's). The bytes decide the download half exactly
 * (from the pushed manifests). The time half is decided by the timed pull + start medians only when both sides
 * have at least DEPLOY_MIN_ROUNDS timed rounds and neither has a spread warning (the run's own rule, MAD over
 * 10 % of the median); otherwise the time difference is within the noise and the claim cannot be checked here.
 */
function judgeDeploy(results: Results, ref: string, variants: VariantResult[], v: VariantResult): Omit<ClaimRow, 'text' | 'scenario' | 'variant'> {
  const reference = variants.find((x) => x.id === ref);
  if (!results.deploy) {
    return { measured: '—', verdict: 'cannot be checked here', why: 'deploy time was not measured in this run; `stagebench run --deploy --bandwidth 100Mbit` measures it' };
  }
  const d = v.deploy;
  const s = reference?.deploy;
  if (!d || !s) return { measured: '—', verdict: 'cannot be checked here', why: `${!d ? v.id : ref} has no deploy figures in this run (its warnings say why)` };
  const time = (x: NonNullable<VariantResult['deploy']>) => (x.deployStats && x.deployStats.n > 1 ? `${formatMs(x.deployStats.median)} ± ${formatMs(x.deployStats.mad)} (n=${x.deployStats.n})` : formatMs(x.deployMs));
  const at = (x: NonNullable<VariantResult['deploy']>, key: 'withBase' | 'withoutBase') => (x.downloadMs ? `, ${formatMs(x.downloadMs[key])}` : '');
  const measured =
    `download with the base: ${formatBytes(d.withBaseBytes)}${at(d, 'withBase')} (${ref} ${formatBytes(s.withBaseBytes)}${at(s, 'withBase')}); ` +
    `without: ${formatBytes(d.withoutBaseBytes)}${at(d, 'withoutBase')} (${ref} ${formatBytes(s.withoutBaseBytes)}${at(s, 'withoutBase')}); ` +
    `pull + start ${time(d)} (${ref} ${time(s)})`;
  const fewer = d.withBaseBytes < s.withBaseBytes && d.withoutBaseBytes < s.withoutBaseBytes;
  const faster = d.deployMs < s.deployMs;
  const noise = [...tooNoisy(v.id, d), ...tooNoisy(ref, s)];
  const rate = results.deploy.bandwidth ? ` Download times at ${results.deploy.bandwidth}, computed from the exact bytes.` : '';
  const held = [d, s].some((x) => x.fetchedBytes < x.withBaseBytes)
    ? ` This engine recognised some of the images' own layers under new digests, so its timed pulls fetched ${formatBytes(d.fetchedBytes)} (${ref} ${formatBytes(s.fetchedBytes)}): the pull times are those of a host holding them.`
    : '';
  const other = v.baseImages.join(',') !== reference!.baseImages.join(',');
  const confound = other ? ` Its final stage starts from ${v.baseImages.join(', ') || 'scratch'}, ${ref}'s from ${reference!.baseImages.join(', ')}: "with the base" is each one's own, so part of the difference is the base.` : '';
  const [verdict, outcome]: [Verdict, string] = !fewer
    ? ['did not hold', 'not fewer bytes']
    : noise.length > 0
      ? ['cannot be checked here', `fewer bytes (a faster download at any bandwidth), but the pull + start difference is within the noise (${noise.join('; ')}): more --runs or a quieter machine decide it`]
      : [faster ? 'held' : 'did not hold', faster ? 'fewer bytes, faster' : 'fewer bytes, not faster'];
  return {
    measured,
    verdict,
    why:
      `held means fewer compressed bytes to download, with and without the base, and a lower median pull (from a loopback registry) + start on this engine, ` +
      `over at least ${DEPLOY_MIN_ROUNDS} timed rounds each with MAD within ${WIDE_SPREAD * 100} % of the median; ${outcome}.${rate}${held}${confound}`,
  };
}

/** Why one side's pull + start median cannot decide the time half: too few timed rounds, or a spread warning. */
function tooNoisy(who: string, x: NonNullable<VariantResult['deploy']>): string[] {
  const stats = x.deployStats;
  const n = stats?.n ?? 1;
  if (!stats || n < DEPLOY_MIN_ROUNDS) return [`${who}: ${n} timed round${n === 1 ? '' : 's'}`];
  return spreadWarning(stats) ? [`${who}: MAD ${Math.round((stats.mad / stats.median) * 100)} % of the median`] : [];
}

/** "Fewer build tools" as a package count: what the variant ships beside what the reference ships, when both were inventoried. */
function packagesAgainstReference(scenario: string, ref: string, variants: VariantResult[], v: VariantResult): string {
  const reference = variants.find((x) => x.id === ref);
  if (!v.packages || !reference?.packages || v === reference) return '';
  const counts = (p: NonNullable<VariantResult['packages']>) => Object.entries(p).map(([eco, items]) => `${eco} ${items!.length}`).join(' · ') || 'none';
  return `; packages shipped: ${counts(v.packages)} (${ref}: ${counts(reference.packages)}; \`stagebench packages ${scenario} ${ref} ${v.id}\` lists them)`;
}

export function judgeClaims(claims: ClaimsFile, results: Results): ClaimRow[] {
  return claims.claims.flatMap((claim) =>
    claim.variants.map((variant) => ({ text: claim.text, scenario: claim.scenario, variant, ...judge(claim, results, variant) })),
  );
}


/** The claims page: each claim beside the measured figure, the profile and bases, and a verdict. */
export function renderClaims(claims: ClaimsFile, results: Results, resultsFile: string): string {
  const rows = judgeClaims(claims, results);
  const bases = results.scenarios.flatMap((s) => s.variants.map((v) => `| ${s.name} | ${v.id} | ${v.baseImages.join(', ')} | ${v.sizeBytes === undefined ? '—' : `${v.sizeBytes.toLocaleString('en-US')} B`} |`));
  const e = results.engine;
  return [
    `# ${claims.title}`,
    '',
    `<!-- Generated by \`stagebench claims\` from ${resultsFile}; do not edit by hand. -->`,
    '',
    claims.source,
    '',
    `Measured by stagebench ${results.tool.version} on ${results.createdAt} (run ${results.run.id}${results.git ? `, commit ${results.git.commit.slice(0, 12)}${results.git.dirty ? ' with local changes' : ''}` : ''}): ` +
      `${engineName(e)} (${storeName(e)}, ${e.os}/${e.arch}), builder ${builderLabel(results)}, profile ${results.profile ?? '(none: public base images)'}, ` +
      `build cache ${results.buildCache}. Sizes are the Engine's uncompressed image size.`,
    '',
    '| Claim | Scenario | Variant | Measured | Verdict | Why |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${cell(r.text)} | ${r.scenario} | ${r.variant} | ${cell(r.measured)} | **${r.verdict}** | ${cell(r.why)} |`),
    '',
    '## Base images used',
    '',
    '| Scenario | Variant | Final-stage base | Size |',
    '| --- | --- | --- | ---: |',
    ...bases,
    '',
  ].join('\n');
}
