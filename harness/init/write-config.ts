import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigFileInput, DeclaredScenario } from '../config/schemas.js';
import { ignoreFileFor } from '../engine/build-context.js';
import { parseDockerfile } from '../engine/dockerfile.js';
import { ConfigError } from '../errors.js';
import { writeAtomic } from '../output/write.js';
import { idFromValue, nameProblem } from '../scenarios/names.js';
import { findDockerfiles } from './find-dockerfiles.js';
import { guessContext } from './guess-context.js';

/** The JSON Schema shipped in the package (docs/config.schema.json, two folders above this file's build). */
const SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), '../../docs/config.schema.json');

/**
 * A scenario name for a Dockerfile a user would recognise: its folder's name (the repository's for the root),
 * with the Dockerfile's own suffix or prefix (`Dockerfile.dev`, `dev.Dockerfile`) added; a longer path when
 * two Dockerfiles would get the same name.
 */
export function scenarioNameFor(dockerfile: string, repoName: string, taken: Set<string>): string {
  const file = posix.basename(dockerfile);
  const variant = file === 'Dockerfile' ? '' : file.startsWith('Dockerfile.') ? file.slice('Dockerfile.'.length) : file.replace(/\.dockerfile$/i, '');
  const folders = posix.dirname(dockerfile) === '.' ? [] : posix.dirname(dockerfile).split('/');
  for (let depth = 1; depth <= Math.max(1, folders.length); depth++) {
    const parts = [...(folders.length > 0 ? folders.slice(-depth) : [repoName]), variant].filter(Boolean);
    const name = idFromValue(parts.join('-')).toLowerCase();
    if (name && !nameProblem(name) && !taken.has(name)) return name;
  }
  for (let n = 2; ; n++) {
    const name = `${idFromValue(dockerfile).toLowerCase() || 'app'}-${n}`;
    if (!nameProblem(name) && !taken.has(name)) return name;
  }
}

/** Folders a build rarely needs, and large: sent with every build of a context that has no ignore file for them. */
const BULK = ['node_modules', '.git'];

/**
 * The bulky folders a declared scenario's context sends to the engine with every build because no ignore file
 * applies (`<Dockerfile>.dockerignore` or the context's `.dockerignore`), as `docker build` would send them.
 */
export function bulkSent(configDir: string, scenario: DeclaredScenario): string[] {
  const context = resolve(configDir, scenario.context ?? '.');
  const dockerfile = relative(context, resolve(configDir, scenario.dockerfile ?? join(scenario.context ?? '.', 'Dockerfile')));
  if (ignoreFileFor(context, dockerfile)) return [];
  return BULK.filter((d) => existsSync(join(context, d)));
}

export interface InitResult {
  file: string;
  config: ConfigFileInput;
}

/** What `stagebench init` writes: one single-image scenario per Dockerfile, with the reasoning in "$comment". */
export async function initialConfig(root: string, configFile: string): Promise<ConfigFileInput> {
  const dockerfiles = await findDockerfiles(root);
  if (dockerfiles.length === 0) {
    throw new ConfigError(`no Dockerfile under ${root} (node_modules, .git and what .gitignore ignores are not searched)`, 'run `stagebench init` in the repository that holds your Dockerfiles');
  }
  const configDir = dirname(configFile);
  const fromConfig = (rel: string) => relative(configDir, join(root, rel)).split(sep).join('/') || '.';
  const taken = new Set<string>();
  const scenarios: Record<string, DeclaredScenario> = {};
  const notes: string[] = [];
  const repoName = idFromValue(basename(root)).toLowerCase() || 'app';
  for (const dockerfile of dockerfiles) {
    const parsed = parseDockerfile(await readFile(join(root, dockerfile), 'utf8'));
    const guess = guessContext(root, dockerfile, parsed.contextSources);
    const name = scenarioNameFor(dockerfile, repoName, taken);
    taken.add(name);
    scenarios[name] = { context: fromConfig(guess.context), dockerfile: fromConfig(dockerfile) };
    const stages = parsed.stages.flatMap((s) => (s.name ? [s.name] : []));
    const unset = [...parsed.globalArgs].filter(([, v]) => v === undefined).map(([k]) => k);
    notes.push(
      `${name}: context ${fromConfig(guess.context)} (${guess.reason})` +
        (stages.length > 1 ? `; stages ${stages.join(', ')}: the last is built, "target" picks another` : '') +
        (unset.length > 0 ? `; ARG ${unset.join(', ')} has no default: set it in "buildArgs"` : ''),
    );
  }
  const schema = relative(configDir, SCHEMA_FILE).split(sep).join('/');
  return {
    $schema: existsSync(SCHEMA_FILE) && !schema.startsWith('..') ? schema : './node_modules/stagebench/docs/config.schema.json',
    $comment: [
      'Written by `stagebench init`. Paths are relative to this file. Each scenario builds one image; to compare choices,',
      'give it "variants" ({ "slim": { "buildArgs": { "BASE": "node:20-slim" } } }) or a "matrix" ({ "target": ["runtime", "debug"] }).',
      'What init guessed:',
      ...notes,
    ],
    scenarios,
  };
}

/** Writes the initial config; an existing file is kept unless `force`. */
export async function writeInitialConfig(root: string, configFile: string, force: boolean): Promise<InitResult> {
  if (existsSync(configFile) && !force) {
    throw new ConfigError(`${basename(configFile)} already exists; init leaves it as it is`, 'edit it, or pass --force to replace it with a fresh one');
  }
  const config = await initialConfig(root, configFile);
  await writeAtomic(configFile, `${JSON.stringify(config, null, 2)}\n`, '--config <file>');
  return { file: configFile, config };
}
