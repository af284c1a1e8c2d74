import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BuildOptions, type ScenarioFile, ScenarioFileSchema } from '../config/schemas.js';
import { parseJsonFile } from '../config/load.js';
import { ConfigError } from '../errors.js';

export interface Variant {
  /** `single` (Dockerfile.single), `multi` (Dockerfile), or `<v>` for Dockerfile.<v>. */
  id: string;
  dockerfile: string;
}

export interface Scenario {
  name: string;
  dir: string;
  variants: Variant[];
  file: ScenarioFile;
}

const VARIANT_ID = /^[a-z0-9][a-z0-9_.-]*$/;

/** Variant ids from a folder's file names: single and multi first, the rest sorted. */
export function variantsFromFiles(fileNames: string[]): { variants: Variant[]; problems: string[] } {
  const variants: Variant[] = [];
  const problems: string[] = [];
  const names = new Set(fileNames);
  if (names.has('Dockerfile.single')) variants.push({ id: 'single', dockerfile: 'Dockerfile.single' });
  if (names.has('Dockerfile')) variants.push({ id: 'multi', dockerfile: 'Dockerfile' });
  for (const name of [...names].sort()) {
    const id = /^Dockerfile\.(.+)$/.exec(name)?.[1];
    if (!id || id === 'single' || id.endsWith('dockerignore')) continue;
    if (id === 'multi') problems.push(`Dockerfile.multi clashes with the id "multi" of Dockerfile: rename it`);
    else if (!VARIANT_ID.test(id)) problems.push(`${name}: a variant id must be lower-case letters, digits, ".", "_" or "-": rename it`);
    else variants.push({ id, dockerfile: name });
  }
  return { variants, problems };
}

async function loadScenario(dir: string, name: string): Promise<{ scenario?: Scenario; problems: string[] }> {
  const files = await readdir(dir);
  if (!files.some((f) => f === 'Dockerfile' || f.startsWith('Dockerfile.'))) return { problems: [] };
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
  return { scenario: prefixed.length === 0 ? { name, dir, variants, file } : undefined, problems: prefixed };
}

/** The names of the folders under root that may hold a scenario, sorted. */
export async function scenarioFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

/**
 * Every scenario folder under root (optionally only the named ones). All problems are collected and raised
 * together, so one run shows everything to fix; a half-made scenario is never skipped silently.
 */
export async function discoverScenarios(root: string, only: string[] = []): Promise<Scenario[]> {
  const rootDir = resolve(root);
  if (!existsSync(rootDir)) {
    throw new ConfigError(`scenarios folder ${root} does not exist`, 'pass --scenarios <dir> with the folder that holds one sub-folder per scenario');
  }
  const names = await scenarioFolders(rootDir);
  const problems = only.filter((n) => !names.includes(n)).map((n) => `--scenario ${n}: no such folder in ${root} (found: ${names.join(', ') || 'none'})`);
  const scenarios: Scenario[] = [];
  for (const name of names) {
    if (only.length > 0 && !only.includes(name)) continue;
    const loaded = await loadScenario(join(rootDir, name), name);
    problems.push(...loaded.problems);
    if (loaded.scenario) scenarios.push(loaded.scenario);
  }
  if (problems.length > 0) {
    throw new ConfigError(`${problems.length} problem(s) in ${root}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, 'fix them and run again; nothing was built');
  }
  if (scenarios.length === 0) {
    throw new ConfigError(`no scenarios in ${root}`, 'add a folder holding Dockerfile.single and Dockerfile, or pass --scenarios <dir>');
  }
  return scenarios;
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
  }
  return merged;
}
