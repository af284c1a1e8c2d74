import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BuildOptions, type ConfigFile, type ScenarioFile, ScenarioFileSchema } from '../config/schemas.js';
import { parseJsonFile } from '../json-file.js';
import { ConfigError, UsageError } from '../errors.js';
import { meantAs } from '../format/did-you-mean.js';
import { counted, shownPath } from '../format/shown-path.js';
import { declaredScenarios } from './declared.js';
import type { Scenario, Variant } from './scenario.js';
import { nameProblems } from './names.js';
import { chooseReference } from './reference.js';

/** Variant ids from a folder's file names: single and multi first, the rest sorted. */
export function variantsFromFiles(fileNames: string[]): { variants: Variant[]; problems: string[] } {
  const variants: Variant[] = [];
  const problems: string[] = [];
  const names = new Set(fileNames);
  const variant = (id: string, dockerfile: string) => variants.push({ id, dockerfile, path: dockerfile });
  if (names.has('Dockerfile.single')) variant('single', 'Dockerfile.single');
  if (names.has('Dockerfile')) variant('multi', 'Dockerfile');
  for (const name of [...names].sort()) {
    const id = /^Dockerfile\.(.+)$/.exec(name)?.[1];
    if (!id || id === 'single' || id.endsWith('dockerignore')) continue;
    if (id === 'multi') problems.push(`Dockerfile.multi clashes with the id "multi" of Dockerfile: rename it`);
    else variant(id, name);
  }
  // One rule for every variant id (names.ts); any problem keeps the whole scenario from being built.
  problems.push(...nameProblems(variants.map((v) => ({ name: v.id, where: `${v.dockerfile} (variant id "${v.id}")` }))));
  return { variants, problems };
}

async function loadScenario(dir: string, name: string): Promise<{ scenario?: Scenario; problems: string[] }> {
  const files = await readdir(dir);
  const { variants, problems } = variantsFromFiles(files);
  const prefixed = problems.map((p) => `${name}: ${p}`);
  for (const half of ['Dockerfile.single', 'Dockerfile']) {
    if (!files.includes(half)) {
      prefixed.push(`${name}: has no ${half}; a scenario needs both Dockerfile.single (one stage) and Dockerfile (multi-stage)`);
    }
  }
  let file: ScenarioFile = {};
  if (files.includes('scenario.json')) {
    const parsed = await parseJsonFile(join(dir, 'scenario.json'), ScenarioFileSchema);
    if ('data' in parsed) file = parsed.data;
    else prefixed.push(...parsed.problems.map((p) => `${name}: scenario.json: ${p}`));
  }
  const ids = new Set(variants.map((v) => v.id));
  for (const key of Object.keys(file.variants ?? {})) {
    if (!ids.has(key)) prefixed.push(`${name}: scenario.json names variant "${key}", which has no Dockerfile (known: ${[...ids].join(', ')})`);
  }
  const chosen = chooseReference([...ids], file.reference, `${name}: scenario.json: reference`);
  if ('problem' in chosen) prefixed.push(chosen.problem);
  return { scenario: prefixed.length === 0 && 'reference' in chosen ? { name, dir, variants, reference: chosen.reference, file } : undefined, problems: prefixed };
}

/** The names of the folders under root that may hold a scenario, sorted; none when root does not exist. */
export async function scenarioFolders(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  const entries = await readdir(root, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

async function holdsDockerfile(dir: string): Promise<boolean> {
  return (await readdir(dir)).some((f) => f === 'Dockerfile' || f.startsWith('Dockerfile.'));
}

/** The config file's declared scenarios, read with the folders (paths in it are relative to the file). */
export interface Declarations {
  file: string;
  config: ConfigFile;
}

/** Every scenario's name: the folders under root, then the config's declarations (what --scenario may pick). */
export async function scenarioNames(root: string, declared?: Declarations): Promise<string[]> {
  return [...(await scenarioFolders(resolve(root))), ...Object.keys(declared?.config.scenarios ?? {})];
}

/**
 * Every scenario: the folders under root and those the config file declares (optionally only the named
 * ones). All problems are collected and raised together, so one run shows everything to fix; a half-made
 * scenario is never skipped silently. Names follow one rule (names.ts) across folders and declarations.
 * `cwd`: messages name files relative to it (shownPath); without it, as given.
 */
export async function discoverScenarios(root: string, only: string[] = [], declared?: Declarations, cwd?: string): Promise<Scenario[]> {
  const show = (file: string) => (cwd === undefined ? file : shownPath(cwd, file));
  const rootDir = resolve(root);
  const declaredNames = Object.keys(declared?.config.scenarios ?? {});
  if (!existsSync(rootDir) && declaredNames.length === 0) {
    throw new ConfigError(`scenarios folder ${show(root)} does not exist, and no config file declares scenarios`, 'declare them under "scenarios" in stagebench.config.json (`stagebench init` writes one), or pass --scenarios <dir> with the folder that holds one sub-folder per scenario');
  }
  const folders: string[] = [];
  for (const name of await scenarioFolders(rootDir)) if (await holdsDockerfile(join(rootDir, name))) folders.push(name);
  const configName = declared ? show(declared.file) : '';
  const problems = nameProblems([
    ...folders.map((name) => ({ name, where: `folder ${show(join(root, name))}` })),
    ...declaredNames.map((name) => ({ name, where: `${configName}: scenarios.${name}` })),
  ]);
  const known = [...folders, ...declaredNames];
  const unknown = only.filter((n) => !known.includes(n));
  const picked = (name: string) => only.length === 0 || only.includes(name);
  const scenarios: Scenario[] = [];
  for (const name of folders.filter(picked)) {
    const loaded = await loadScenario(join(rootDir, name), name);
    problems.push(...loaded.problems);
    if (loaded.scenario) scenarios.push(loaded.scenario);
  }
  if (declared?.config.scenarios) {
    const chosen = Object.fromEntries(Object.entries(declared.config.scenarios).filter(([name]) => picked(name)));
    const fromConfig = declaredScenarios(declared.file, { ...declared.config, scenarios: chosen });
    problems.push(...fromConfig.problems.map((p) => `${configName}: ${p}`));
    scenarios.push(...fromConfig.scenarios);
  }
  // The flag's problems alone are the flag's: named as such, with the names it was likely meant as.
  if (problems.length === 0 && unknown.length > 0) throw unknownScenarios(unknown, known);
  problems.push(...unknown.map((n) => `--scenario ${n}: no such scenario${meantAs([n], known).text} (found: ${known.join(', ') || 'none'})`));
  if (problems.length > 0) {
    const where = [existsSync(rootDir) ? show(root) : '', configName, unknown.length > 0 ? '--scenario' : ''].filter(Boolean).join(' and ');
    throw new ConfigError(`${counted(problems.length, 'problem')} in ${where}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, 'fix them and run again; nothing was built');
  }
  if (scenarios.length === 0) {
    throw new ConfigError(`no scenarios in ${show(root)}`, 'add a folder holding Dockerfile.single and Dockerfile, declare scenarios in stagebench.config.json (`stagebench init`), or pass --scenarios <dir>');
  }
  return scenarios;
}

/** `--scenario` names that are no scenario: a usage error naming the flag, the likely names, and all there are. */
function unknownScenarios(unknown: string[], known: string[]): UsageError {
  const flags = unknown.map((n) => `--scenario ${n}`).join(', ');
  const { guess, text: meant } = meantAs(unknown, known);
  const message = `${flags}: no such scenario${unknown.length > 1 ? 's' : ''}${meant}`;
  if (known.length === 0) return new UsageError(message, 'there are no scenarios yet: add one (see the README), or leave out --scenario');
  return new UsageError(message, `${guess.length === 1 ? `pass --scenario ${guess[0]}; ` : ''}the scenarios are: ${known.join(', ')}`);
}

/** The options one variant is built with: scenario < scenario.profiles[profile] < scenario.variants[id]. */
export function variantOptions(scenario: Scenario, variantId: string, profile?: string): BuildOptions {
  const layers = [scenario.file, profile ? scenario.file.profiles?.[profile] : undefined, scenario.file.variants?.[variantId]];
  const merged: BuildOptions = {};
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.target !== undefined) merged.target = layer.target;
    if (layer.network !== undefined) merged.network = layer.network;
    if (layer.buildArgs) merged.buildArgs = { ...merged.buildArgs, ...layer.buildArgs };
    if (layer.services) merged.services = [...new Set([...(merged.services ?? []), ...layer.services])];
  }
  return merged;
}
