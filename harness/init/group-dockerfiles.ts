import { posix } from 'node:path';
import { LESSON_REFERENCE } from '../results/schema.js';
import { DEFAULT_VARIANT } from '../scenarios/declared.js';
import { idFromValue, nameProblem } from '../scenarios/names.js';

/**
 * Words that name a flavour of an image rather than an image: `prod.Dockerfile` (or `api.prod.Dockerfile`,
 * `api-prod.Dockerfile`) is a variant, `api.Dockerfile` an image of its own. `Dockerfile.<x>` is always a variant.
 */
export const FLAVOURS = ['dev', 'development', 'prod', 'production', 'staging', 'test', 'ci', 'debug', 'release', 'local', 'slim', 'alpine', 'distroless', 'scratch', 'single', 'multi', 'minimal'];
const isFlavour = (word: string) => FLAVOURS.includes(word.toLowerCase());

/** What a Dockerfile's name says: which image of its folder ("" for the folder's own app) and which flavour of it. */
export interface DockerfileName {
  image: string;
  /** "" for the plain Dockerfile of the image (`Dockerfile`, `<image>.Dockerfile`). */
  flavour: string;
  /** `Dockerfile` or `<image>.Dockerfile`: the image's own, the one its flavours are compared with. */
  plain: boolean;
}

/**
 * `Dockerfile` is the folder's app; `Dockerfile.<x>` is flavour x of it (Docker's own convention for "another
 * Dockerfile of this app", and the lesson scenarios' layout); `<x>.Dockerfile` is flavour x when x is a flavour
 * word, flavour f of image i when x is `<i>.<f>` (or `-`, `_`) with f a flavour word, else image x's own.
 */
export function nameParts(file: string): DockerfileName {
  if (file === 'Dockerfile') return { image: '', flavour: '', plain: true };
  if (file.startsWith('Dockerfile.')) return { image: '', flavour: file.slice('Dockerfile.'.length), plain: false };
  const stem = file.replace(/\.dockerfile$/i, '');
  if (stem === '' || isFlavour(stem)) return { image: '', flavour: stem, plain: false };
  const split = /^(.+?)[._-]([^._-]+)$/.exec(stem);
  if (split && isFlavour(split[2]!)) return { image: split[1]!, flavour: split[2]!, plain: false };
  return { image: stem, flavour: '', plain: true };
}

/** A Dockerfile found, with the context guessed for it (both root-relative posix paths). */
export interface Found {
  dockerfile: string;
  context: string;
}

export interface GroupVariant {
  id: string;
  dockerfile: string;
}

/** The Dockerfiles that become one scenario: one folder, one image, one context. */
export interface Group {
  folder: string;
  /** The image's name from `<image>.Dockerfile`; "" for the folder's own app. */
  image: string;
  context: string;
  /** The reference (the one the others are compared with) first when there are several, then the others by id. */
  variants: GroupVariant[];
  /** Why the first variant is the reference, to follow its file name and a comma; undefined for a scenario of one image. */
  reference?: string;
}

/** A valid variant id from a flavour (lower case, at most 100 characters; all digits get a "v": a JSON key like "2" would sort first). */
function idFor(flavour: string, file: string): string {
  const id = (idFromValue(flavour) || idFromValue(file)).toLowerCase().slice(0, 100).replace(/[^a-z0-9]+$/, '');
  return /^\d+$/.test(id) ? `v${id}` : id || 'variant';
}

function unique(id: string, taken: Set<string>): string {
  let name = id;
  for (let n = 2; taken.has(name) || nameProblem(name); n++) name = `${id}-${n}`;
  taken.add(name);
  return name;
}

/**
 * Ids for one group's Dockerfiles, the reference first. Each is named for its file: the plain Dockerfile
 * (`<image>.Dockerfile` for that image's flavours) is `default`, as a lone Dockerfile is (so a folder that
 * gains a second Dockerfile keeps its variant's id, and its baseline rows), every other one its flavour, made
 * valid and unique. The reference is the plain one, else the first by id. A folder laid out as the lesson
 * scenarios are (`Dockerfile.single`) keeps their ids, `single` (the reference) and `multi` (the plain one).
 */
function variantsOf(members: Found[]): { variants: GroupVariant[]; reference?: string } {
  if (members.length === 1) return { variants: [{ id: DEFAULT_VARIANT, dockerfile: members[0]!.dockerfile }] };
  const named = members
    .map((m) => {
      const file = posix.basename(m.dockerfile);
      const parts = nameParts(file);
      return { ...m, file, ...parts, id: idFor(parts.flavour, file) };
    })
    .sort((a, b) => (a.id === b.id ? compare(a.dockerfile, b.dockerfile) : compare(a.id, b.id)));
  const lesson = named.find((m) => m.flavour.toLowerCase() === LESSON_REFERENCE);
  const plain = named.find((m) => m.plain);
  const reference = lesson ?? plain ?? named[0]!;
  const why = lesson
    ? `as in the lesson scenarios${plain ? `, where ${plain.file} is "multi"` : ''}`
    : plain
      ? 'the plain one'
      : 'the first by id: there is no plain Dockerfile';
  // The fixed ids are claimed first, so a Dockerfile.multi or Dockerfile.default beside them gets "-2".
  const fixed = (m: (typeof named)[number]) => (m === lesson ? LESSON_REFERENCE : m === plain ? (lesson ? 'multi' : DEFAULT_VARIANT) : undefined);
  const taken = new Set<string>();
  const ids = new Map([...named.filter((m) => fixed(m)), ...named.filter((m) => !fixed(m))].map((m) => [m, unique(fixed(m) ?? m.id, taken)]));
  const others = named.filter((m) => m !== reference).map((m) => ({ id: ids.get(m)!, dockerfile: m.dockerfile }));
  return { variants: [{ id: ids.get(reference)!, dockerfile: reference.dockerfile }, ...others.sort((a, b) => compare(a.id, b.id))], reference: why };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The scenarios init writes: the Dockerfiles of one folder that name one image and build from one context
 * are one scenario, each a variant. `found` in the order groups should come (the first Dockerfile of each
 * decides). Notes say where a folder's Dockerfiles were kept apart because their contexts differ.
 */
export function groupDockerfiles(found: Found[]): { groups: Group[]; notes: string[] } {
  const byKey = new Map<string, Found[]>();
  for (const f of found) {
    const key = JSON.stringify([posix.dirname(f.dockerfile), nameParts(posix.basename(f.dockerfile)).image.toLowerCase(), f.context]);
    byKey.set(key, [...(byKey.get(key) ?? []), f]);
  }
  const groups = [...byKey].map(([key, members]) => {
    const [folder, , context] = JSON.parse(key) as [string, string, string];
    const image = members.map((m) => nameParts(posix.basename(m.dockerfile))).find((n) => n.plain)?.image ?? nameParts(posix.basename(members[0]!.dockerfile)).image;
    return { folder, image, context, ...variantsOf(members) };
  });
  const notes: string[] = [];
  const apart = new Map<string, Group[]>();
  for (const g of groups) {
    const key = `${g.folder}\n${g.image.toLowerCase()}`;
    apart.set(key, [...(apart.get(key) ?? []), g]);
  }
  for (const split of apart.values()) {
    if (split.length < 2) continue;
    const each = split.map((g) => `${g.variants.map((v) => posix.basename(v.dockerfile)).join(', ')} from ${g.context}`).join('; ');
    notes.push(`${split[0]!.folder === '.' ? 'the root' : split[0]!.folder}: the Dockerfiles build from different contexts (${each}): a scenario has one context, so they are separate scenarios`);
  }
  return { groups, notes };
}
