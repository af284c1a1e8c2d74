import type { Results, VariantResult } from '../results/schema.js';
import { wrap } from './wrap.js';

type Packages = NonNullable<VariantResult['packages']>;

/** name@version -> [name, version]; scoped npm names keep their leading @. */
const split = (item: string): [string, string] => {
  const at = item.lastIndexOf('@');
  return at > 0 ? [item.slice(0, at), item.slice(at + 1)] : [item, ''];
};

export interface PackageDiff {
  ecosystem: string;
  /** In `a`, and no version of it in `b`. */
  only: string[];
  /** In both, at other versions: name, a's version, b's version. */
  changed: { name: string; a: string; b: string }[];
}

/** What `a` ships that `b` does not, per ecosystem, by package name (a version change is listed apart). */
export function diffPackages(a: Packages, b: Packages): PackageDiff[] {
  return Object.entries(a).flatMap(([ecosystem, items]) => {
    const other = new Map<string, string[]>();
    for (const item of b[ecosystem as keyof Packages] ?? []) {
      const [name, version] = split(item);
      other.set(name, [...(other.get(name) ?? []), version]);
    }
    const only: string[] = [];
    const changed: PackageDiff['changed'] = [];
    for (const item of items ?? []) {
      const [name, version] = split(item);
      const theirs = other.get(name);
      if (!theirs) only.push(item);
      else if (!theirs.includes(version)) changed.push({ name, a: version, b: theirs.join(', ') });
    }
    return only.length > 0 || changed.length > 0 ? [{ ecosystem, only, changed }] : [];
  });
}

/** What stagebench reads packages from (layers/package-files.ts, layers/go-build-info.ts), as a user knows them. */
const DATABASES = 'dpkg, apk, npm, Go build info';
const isEmpty = (p: Packages) => Object.values(p).every((items) => !items?.length);

/** A hint and the command it names: the command on its own line, never broken, so it can be copied. */
const hint = (text: string, command: string, width?: number) => `${wrap(text, width, '  ')}\n  ${command}`;

const count = (p: Packages) => Object.entries(p).map(([e, items]) => `${e} ${items!.length}`).join(', ') || 'none found';

/**
 * `stagebench packages <scenario> [<a> [<b>]]`: with two variants, every package `a` ships that `b` does
 * not (and version differences); with one, that variant against each other (its own packages when it is the
 * scenario's only one); with none, every pair, in counts.
 * `width`: the prose lines are wrapped to it (the package lines are short); none, no wrapping.
 */
export function renderPackages(results: Results, scenario: string, variants: string[], width?: number): string {
  const s = results.scenarios.find((x) => x.name === scenario)!;
  const measured = s.variants.filter((v) => v.packages !== undefined);
  const by = (id: string) => measured.find((v) => v.id === id);
  const out: string[] = [wrap(`${scenario}: ${measured.map((v) => `${v.id} (${count(v.packages!)})`).join('; ')}`, width, '  ')];
  const pairs: [VariantResult, VariantResult][] =
    variants.length === 2
      ? [[by(variants[0]!)!, by(variants[1]!)!]]
      : measured.flatMap((a) => measured.filter((b) => b !== a && (variants.length === 0 || a.id === variants[0])).map((b): [VariantResult, VariantResult] => [a, b]));
  const detailed = variants.length > 0;
  for (const [a, b] of pairs) {
    if (isEmpty(a.packages!) && isEmpty(b.packages!)) {
      out.push('', wrap(`${a.id} and ${b.id}: none of the package databases stagebench reads (${DATABASES}) was found in either image`, width, '  '));
      continue;
    }
    const diff = diffPackages(a.packages!, b.packages!);
    const total = diff.reduce((n, d) => n + d.only.length, 0);
    const changed = diff.reduce((n, d) => n + d.changed.length, 0);
    out.push('', wrap(`${a.id} ships ${total} package${total === 1 ? '' : 's'} that ${b.id} does not${changed ? `, and ${changed} at another version` : ''}${total + changed === 0 ? '' : ` (${diff.map((d) => `${d.ecosystem} ${d.only.length + d.changed.length}`).join(', ')})`}`, width, '  '));
    if (!detailed) continue;
    for (const d of diff) {
      for (const item of d.only) out.push(`  + ${d.ecosystem} ${item}`);
      for (const c of d.changed) out.push(`  ~ ${d.ecosystem} ${c.name} ${c.a} (${b.id}: ${c.b})`);
    }
  }
  const listed = pairs.find(([a, b]) => !isEmpty(a.packages!) || !isEmpty(b.packages!));
  if (!detailed && listed) out.push('', hint('Name one or two variants for the packages themselves:', `stagebench packages ${scenario} ${listed[0].id} ${listed[1].id}`, width));
  // One image (what `init` makes of each Dockerfile): nothing to compare it with, so its own packages.
  const only = measured.length === 1 ? measured[0]! : undefined;
  if (only && pairs.length === 0) {
    if (isEmpty(only.packages!)) out.push('', wrap(`${only.id}: none of the package databases stagebench reads (${DATABASES}) was found in the image`, width, '  '));
    else if (!detailed) out.push('', hint('Name the variant for the packages themselves:', `stagebench packages ${scenario} ${only.id}`, width));
    else {
      out.push('', `${only.id} ships:`);
      for (const [ecosystem, items] of Object.entries(only.packages!)) for (const item of items ?? []) out.push(`  ${ecosystem} ${item}`);
    }
  }
  return `${out.join('\n')}\n`;
}
