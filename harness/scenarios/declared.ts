import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { BuildOptions, ConfigFile, DeclaredScenario } from '../config/schemas.js';
import { dockerfileInContext } from '../engine/build-context.js';
import type { Scenario, Variant } from './scenario.js';
import { idFromValue, nameProblems } from './names.js';
import { chooseReference } from './reference.js';

/** The id of the one variant of a scenario declared without variants or matrix. */
export const DEFAULT_VARIANT = 'default';

interface Planned {
  id: string;
  where: string;
  dockerfile: string;
  options: BuildOptions;
}

/**
 * One variant per combination of the matrix values, in declaration order (the first key varies slowest).
 * `target` sets the stage, every other key a build argument. The id joins each value's readable form with
 * "_" (`node-20-slim_runtime`), so it stays the same as long as the values do.
 */
export function expandMatrix(matrix: Record<string, string[]>): { id: string; options: BuildOptions; values: string }[] {
  let combos: [string, string][][] = [[]];
  for (const [key, values] of Object.entries(matrix)) combos = combos.flatMap((c) => values.map((v) => [...c, [key, v] as [string, string]]));
  return combos.map((combo) => {
    const buildArgs = Object.fromEntries(combo.filter(([k]) => k !== 'target'));
    const target = combo.find(([k]) => k === 'target')?.[1];
    return {
      id: combo.map(([, v]) => idFromValue(v)).join('_'),
      options: { ...(Object.keys(buildArgs).length > 0 ? { buildArgs } : {}), ...(target !== undefined ? { target } : {}) },
      values: combo.map(([k, v]) => `${k}=${v}`).join(', '),
    };
  });
}

const posix = (p: string) => p.split(sep).join('/');

function plannedVariants(name: string, s: DeclaredScenario, configDir: string): { planned: Planned[]; problems: string[] } {
  const at = `scenarios.${name}`;
  const main = s.dockerfile ?? posix(relative(configDir, resolve(configDir, s.context, 'Dockerfile')));
  if (s.matrix) {
    const problems: string[] = [];
    for (const [key, values] of Object.entries(s.matrix)) {
      for (const v of values) if (idFromValue(v) === '') problems.push(`${at}.matrix.${key}: the value "${v}" has no letter or digit to make a variant id from`);
    }
    if (problems.length > 0) return { planned: [], problems };
    return { planned: expandMatrix(s.matrix).map((m) => ({ id: m.id, where: `${at}.matrix (${m.values})`, dockerfile: main, options: m.options })), problems };
  }
  if (s.variants && Object.keys(s.variants).length > 0) {
    return {
      planned: Object.entries(s.variants).map(([id, { dockerfile, ...options }]) => ({ id, where: `${at}.variants.${id}`, dockerfile: dockerfile ?? main, options })),
      problems: [],
    };
  }
  return { planned: [{ id: DEFAULT_VARIANT, where: at, dockerfile: main, options: {} }], problems: [] };
}

function toScenario(name: string, s: DeclaredScenario, configDir: string): { scenario?: Scenario; problems: string[] } {
  const at = `scenarios.${name}`;
  const dir = resolve(configDir, s.context);
  const problems: string[] = [];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) problems.push(`${at}.context: "${s.context}" is not a folder (paths are relative to the config file)`);
  const { planned, problems: matrixProblems } = plannedVariants(name, s, configDir);
  problems.push(...matrixProblems, ...nameProblems(planned.map((p) => ({ name: p.id, where: p.where }))));
  const variants: Variant[] = [];
  const perVariant: Record<string, BuildOptions> = {};
  const missing = new Set<string>();
  for (const p of planned) {
    const path = resolve(configDir, p.dockerfile);
    if (!existsSync(path) || !statSync(path).isFile()) {
      if (!missing.has(path)) {
        const where = p.where.includes('.variants.') && s.variants?.[p.id]?.dockerfile ? `${p.where}.dockerfile` : s.dockerfile ? `${at}.dockerfile` : `${at}.context`;
        problems.push(`${where}: no Dockerfile at "${p.dockerfile}" (paths are relative to the config file; the default is Dockerfile in the context)`);
      }
      missing.add(path);
      continue;
    }
    variants.push({ id: p.id, dockerfile: p.dockerfile, path: dockerfileInContext(dir, path) ?? path });
    if (Object.keys(p.options).length > 0) perVariant[p.id] = p.options;
  }
  const chosen = chooseReference(planned.map((p) => p.id), s.reference, `${at}.reference`);
  if ('problem' in chosen) problems.push(chosen.problem);
  const { context: _c, dockerfile: _d, variants: _v, matrix: _m, ...options } = s;
  const file = { ...options, ...(Object.keys(perVariant).length > 0 ? { variants: perVariant } : {}) };
  return problems.length > 0 || !('reference' in chosen) ? { problems } : { scenario: { name, dir, variants, reference: chosen.reference, file }, problems };
}

/** The scenarios the config file declares, with every problem found (names are checked by the caller, with the folders'). */
export function declaredScenarios(configFile: string, config: ConfigFile): { scenarios: Scenario[]; problems: string[] } {
  const configDir = dirname(configFile);
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  for (const [name, declared] of Object.entries(config.scenarios ?? {})) {
    const loaded = toScenario(name, declared, configDir);
    problems.push(...loaded.problems);
    if (loaded.scenario) scenarios.push(loaded.scenario);
  }
  return { scenarios, problems };
}
