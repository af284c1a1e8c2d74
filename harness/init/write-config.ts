import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigFileInput, DeclaredScenario } from '../config/schemas.js';
import { ignoreFileFor, ownOutputIn } from '../engine/build-context.js';
import { ignoreRules } from '../engine/dockerignore.js';
import { type ParsedDockerfile, parseDockerfile } from '../engine/dockerfile.js';
import { ConfigError } from '../errors.js';
import { writeAtomic } from '../output/write.js';
import { idFromValue, nameProblem } from '../scenarios/names.js';
import { findDockerfiles } from './find-dockerfiles.js';
import { FLAVOURS, type GroupVariant, groupDockerfiles, nameParts } from './group-dockerfiles.js';
import { type ContextGuess, guessContext } from './guess-context.js';

/** The JSON Schema shipped in the package (docs/config.schema.json, two folders above this file's build). */
const SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), '../../docs/config.schema.json');

/**
 * A scenario name a user would recognise: the folder's name (the repository's for the root) with `label` (the
 * image's name, or a lone Dockerfile's own suffix or prefix: `Dockerfile.dev`, `dev.Dockerfile`) added; a
 * longer path when two scenarios would get the same name; always valid (scenarios/names.ts).
 */
export function scenarioNameFor(folder: string, label: string, repoName: string, taken: Set<string>): string {
  const folders = folder === '.' ? [] : folder.split('/');
  for (let depth = 1; depth <= Math.max(1, folders.length); depth++) {
    const parts = [...(folders.length > 0 ? folders.slice(-depth) : [repoName]), label].filter(Boolean);
    const name = idFromValue(parts.join('-')).toLowerCase();
    if (name && !nameProblem(name) && !taken.has(name)) return name;
  }
  for (let n = 2; ; n++) {
    const name = `${idFromValue(posix.join(folder, label)).toLowerCase() || 'app'}-${n}`;
    if (!nameProblem(name) && !taken.has(name)) return name;
  }
}

/** The label of a lone Dockerfile's scenario: its image and flavour (`Dockerfile.dev`: dev, `api.slim.Dockerfile`: api-slim). */
function loneLabel(file: string): string {
  const { image, flavour } = nameParts(file);
  return [image, flavour].filter(Boolean).join('-');
}

/** Folders a build rarely needs, and large: sent with every build of a context that has no ignore file for them. */
const BULK = ['node_modules', '.git'];

/**
 * The bulky folders a declared scenario's context sends to the engine with every build because no ignore file
 * applies (`<Dockerfile>.dockerignore` or the context's `.dockerignore`) to some variant's Dockerfile, as
 * `docker build` would send them.
 */
export function bulkSent(configDir: string, scenario: DeclaredScenario): string[] {
  const { context, dockerfiles } = contextOf(configDir, scenario);
  if (dockerfiles.every((d) => ignoreFileFor(context, d))) return [];
  return BULK.filter((d) => existsSync(join(context, d)));
}

/**
 * Where the user's own `docker build` of a declared scenario would send `outDir` (absolute: where `run` writes its
 * results, existing yet or not): it lies inside the context and the ignore file that applies to some variant's
 * Dockerfile does not leave it, or everything under it (`results/*`), out. One entry per ignore file that would
 * need the line: that file (absolute; the context's `.dockerignore` when no ignore file applies, to be made) and
 * the pattern to add, relative to the context as ignore files are. stagebench itself never sends it
 * (engine/build-context.ts).
 */
export function outputSent(configDir: string, scenario: DeclaredScenario, outDir: string): { ignoreFile: string; pattern: string }[] {
  const { context, dockerfiles } = contextOf(configDir, scenario);
  const [inside] = ownOutputIn(context, [outDir]);
  if (inside === undefined) return [];
  const files = new Set<string>();
  for (const d of dockerfiles) {
    const file = ignoreFileFor(context, d);
    const rules = ignoreRules(file ? readFileSync(file, 'utf8') : undefined, []);
    // The folder itself, or any file in it: a name no pattern would single out stands for them all.
    const covered = rules.excludes(inside) || rules.excludes(`${inside}/stagebench-any-file`);
    if (!covered) files.add(file ?? join(context, '.dockerignore'));
  }
  return [...files].map((ignoreFile) => ({ ignoreFile, pattern: `${inside}/` }));
}

/** A declared scenario's context (absolute) and its variants' Dockerfiles, relative to the context. */
function contextOf(configDir: string, scenario: DeclaredScenario): { context: string; dockerfiles: string[] } {
  const context = resolve(configDir, scenario.context ?? '.');
  const main = scenario.dockerfile ?? join(scenario.context ?? '.', 'Dockerfile');
  const dockerfiles = scenario.variants ? Object.values(scenario.variants).map((v) => v.dockerfile ?? main) : [main];
  return { context, dockerfiles: dockerfiles.map((d) => relative(context, resolve(configDir, d))) };
}

/** One scenario init wrote, for what it prints: its variants (Dockerfiles relative to the config file), the reference first. */
export interface InitScenario {
  name: string;
  variants: GroupVariant[];
  /** Why the first variant is the reference (written as the scenario's "reference"); undefined for a scenario of one image. */
  reference?: string;
}

export interface InitPlan {
  config: ConfigFileInput;
  scenarios: InitScenario[];
  /** Where a folder's Dockerfiles were kept apart, and why. */
  notes: string[];
}

export interface InitResult extends InitPlan {
  file: string;
}

/** How init groups Dockerfiles into scenarios, for the config's "$comment" (the README says the same). */
export const GROUPING_RULE =
  `The Dockerfiles of one folder that build from one context are one scenario, one variant each, named for its file: "default" for the plain Dockerfile, "<x>" for Dockerfile.<x> and <x>.Dockerfile. "reference" is the one the others are compared with: the plain Dockerfile, or with no plain one the first by id; a folder laid out as the lesson scenarios keeps their ids, "single" (Dockerfile.single, the reference) and "multi" (Dockerfile). <name>.Dockerfile is an image of its own (api.Dockerfile, worker.Dockerfile) unless <name> is a flavour: ${FLAVOURS.join(', ')}.`;

/** The same in three lines of what init prints. */
export const GROUPING_RULE_SHORT =
  'a scenario per folder and context, a variant per Dockerfile, named for its file (Dockerfile is "default"); "reference" is the one the others are compared with: Dockerfile.single where there is one (the lesson\'s layout, where Dockerfile is "multi"), else the plain Dockerfile, else the first by id. <name>.Dockerfile is an image of its own unless <name> is a flavour such as dev or prod (the config\'s "$comment" lists them).';

/**
 * What `stagebench init` writes: a scenario per folder, image and context (init/group-dockerfiles.ts), one
 * variant per Dockerfile when it has several, with the reasoning in "$comment".
 */
export async function initialConfig(root: string, configFile: string): Promise<InitPlan> {
  const dockerfiles = await findDockerfiles(root);
  if (dockerfiles.length === 0) {
    throw new ConfigError(`no Dockerfile under ${root} (node_modules, .git and what .gitignore ignores are not searched)`, 'run `stagebench init` in the repository that holds your Dockerfiles');
  }
  const configDir = dirname(configFile);
  const fromConfig = (rel: string) => relative(configDir, join(root, rel)).split(sep).join('/') || '.';
  const read = new Map<string, { parsed: ParsedDockerfile; guess: ContextGuess }>();
  for (const dockerfile of dockerfiles) {
    const parsed = parseDockerfile(await readFile(join(root, dockerfile), 'utf8'));
    read.set(dockerfile, { parsed, guess: guessContext(root, dockerfile, parsed.contextSources) });
  }
  const { groups, notes: apart } = groupDockerfiles(dockerfiles.map((d) => ({ dockerfile: d, context: read.get(d)!.guess.context })));
  const taken = new Set<string>();
  const scenarios: Record<string, DeclaredScenario> = {};
  const written: InitScenario[] = [];
  const notes: string[] = [];
  const repoName = idFromValue(basename(root)).toLowerCase() || 'app';
  for (const group of groups) {
    const lone = group.variants.length === 1;
    const name = scenarioNameFor(group.folder, lone ? loneLabel(posix.basename(group.variants[0]!.dockerfile)) : group.image, repoName, taken);
    taken.add(name);
    const context = fromConfig(group.context);
    const variants = group.variants.map((v) => ({ id: v.id, dockerfile: fromConfig(v.dockerfile) }));
    scenarios[name] = lone
      ? { context, dockerfile: variants[0]!.dockerfile }
      : { context, reference: variants[0]!.id, variants: Object.fromEntries(variants.map((v) => [v.id, { dockerfile: v.dockerfile }])) };
    written.push({ name, variants, ...(group.reference ? { reference: group.reference } : {}) });
    if (!lone) notes.push(`${name}: ${variants.length} variants, context ${context}; "${variants[0]!.id}" (${variants[0]!.dockerfile}, ${group.reference}) is the "reference", the one the others are compared with`);
    for (const v of group.variants) {
      const { parsed, guess } = read.get(v.dockerfile)!;
      const stages = parsed.stages.flatMap((s) => (s.name ? [s.name] : []));
      const unset = [...parsed.globalArgs].filter(([, value]) => value === undefined).map(([k]) => k);
      notes.push(
        (lone ? `${name}: context ${context} (${guess.reason})` : `${name}.${v.id}: ${fromConfig(v.dockerfile)} (${guess.reason})`) +
          (stages.length > 1 ? `; stages ${stages.join(', ')}: the last is built, "target" picks another` : '') +
          (unset.length > 0 ? `; ARG ${unset.join(', ')} has no default: set it in "buildArgs"` : ''),
      );
    }
  }
  const schema = relative(configDir, SCHEMA_FILE).split(sep).join('/');
  const config: ConfigFileInput = {
    $schema: existsSync(SCHEMA_FILE) && !schema.startsWith('..') ? schema : './node_modules/stagebench/docs/config.schema.json',
    $comment: [
      'Written by `stagebench init`. Paths are relative to this file.',
      GROUPING_RULE,
      'To compare more choices, add "variants" ({ "slim": { "buildArgs": { "BASE": "node:20-slim" } } }) or a "matrix" ({ "target": ["runtime", "debug"] }).',
      'What init guessed:',
      ...notes,
      ...apart,
    ],
    scenarios,
  };
  return { config, scenarios: written, notes: apart };
}

/** Writes the initial config; an existing file is kept unless `force`. */
export async function writeInitialConfig(root: string, configFile: string, force: boolean): Promise<InitResult> {
  if (existsSync(configFile) && !force) {
    throw new ConfigError(`${basename(configFile)} already exists; init leaves it as it is`, 'edit it, or pass --force to replace it with a fresh one');
  }
  const plan = await initialConfig(root, configFile);
  await writeAtomic(configFile, `${JSON.stringify(plan.config, null, 2)}\n`, '--config <file>');
  return { file: configFile, ...plan };
}
