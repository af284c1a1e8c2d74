import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { configAbove, configElsewhere, CONFIG_FILE } from '../config/config-above.js';
import type { DeclaredScenario } from '../config/schemas.js';
import { bulkSent, GROUPING_RULE_SHORT, outputSent, type InitScenario, writeInitialConfig } from '../init/write-config.js';
import { ConfigError } from '../errors.js';
import { wrap } from '../report/wrap.js';
import { RESULTS_DIR } from './args.js';
import type { Outcome } from './exit-code.js';

export interface InitArgs {
  command: 'init';
  /** Where to write; default stagebench.config.json in the working directory, which is searched. */
  config?: string;
  force: boolean;
}

/** The example workflow, as the installed package ships it. */
const CI_EXAMPLE = 'node_modules/stagebench/docs/ci/github-actions.yml';

/** `stagebench init`: writes a starting config for the repository in cwd and says what to run next. */
export async function initCommand(args: InitArgs, io: { cwd: string; stdout: { write(s: string): unknown } }): Promise<Outcome> {
  const file = resolve(io.cwd, args.config ?? CONFIG_FILE);
  // A sub-folder of a repository that has a config: a second one here would be a second, diverging set of rules.
  // One already here (an earlier `init --force`) is this folder's: writeInitialConfig's "exists" refusal speaks.
  const above = args.config || args.force || existsSync(file) ? undefined : configAbove(io.cwd);
  if (above) {
    const { message, dir } = configElsewhere(io.cwd, above);
    throw new ConfigError(`${message}: init would write a second one, with its own rules, in this folder`, `run stagebench from \`${dir}\`, where that config is read, or pass --force to write one for this folder alone`);
  }
  const { config, scenarios, notes } = await writeInitialConfig(io.cwd, file, args.force);
  const flag = args.config ? ` --config ${args.config}` : '';
  // What every build of a scenario would send besides the app: measured as docker build does, but worth knowing.
  const bulky = Object.entries(config.scenarios ?? {}).flatMap(([name, s]) => {
    const sent = bulkSent(dirname(file), s as DeclaredScenario);
    return sent.length > 0 ? [`note: ${name}'s context ${s.context ?? '.'} has no .dockerignore, so every build sends ${sent.join(' and ')} to the engine too (as docker build does; it counts in the build time): a .dockerignore that leaves them out is the fix`] : [];
  });
  // run's default --out inside a context: stagebench leaves it out of its builds, the user's docker build would not.
  // One note per ignore file to change, naming it and the line it needs (relative to the context).
  const sendsResults = new Map<string, string[]>();
  for (const [name, s] of Object.entries(config.scenarios ?? {})) {
    for (const { ignoreFile, pattern } of outputSent(dirname(file), s as DeclaredScenario, resolve(io.cwd, RESULTS_DIR))) {
      const add = `add ${pattern} to ${relative(io.cwd, ignoreFile)}`;
      sendsResults.set(add, [...(sendsResults.get(add) ?? []), name]);
    }
  }
  for (const [add, names] of sendsResults) {
    bulky.push(`note: ${RESULTS_DIR}/ is in the context of ${names.join(', ')}: stagebench leaves its own output out, your docker build would send it; ${add}`);
  }
  const lines = [
    // Within 80 columns, as the help is; what `run` writes into results/ does not belong in git.
    wrap(`wrote ${relative(io.cwd, file)}: ${scenarios.length === 1 ? 'one scenario' : `${scenarios.length} scenarios`}; its "$comment" says what was guessed`, 80, '  '),
    ...scenarioLines(scenarios).map((l) => wrap(`  ${l}`, 80, '    ')),
    wrap(`how: ${GROUPING_RULE_SHORT}`, 80, '  '),
    ...notes.map((n) => wrap(`note: ${n}`, 80, '  ')),
  ];
  io.stdout.write(
    lines.map((l) => `${l}\n`).join('') +
      'next:\n' +
      nextSteps([
        [`npx stagebench run${flag}`, 'measure every scenario; git-ignore results/'],
        ['npx stagebench baseline update', 'a baseline to compare with on this machine'],
      ]) +
      // The gate refuses a baseline from another engine release, storage driver or builder (compare/baseline-checks.ts).
      `${wrap(`for CI: make the baseline on the CI runner, as ${CI_EXAMPLE} does; CI refuses one from another engine release, storage driver or builder (exit 2)`, 80, '  ')}\n` +
      bulky.map((l) => `${wrap(l, 80, '  ')}\n`).join(''),
  );
  return { kind: 'done' };
}

/** What each scenario compares, one line each; the scenarios of one image together on one line. */
export function scenarioLines(scenarios: InitScenario[]): string[] {
  const compared = scenarios.filter((s) => s.variants.length > 1);
  const lone = scenarios.filter((s) => s.variants.length === 1);
  return [
    ...compared.map(({ name, variants: [reference, ...others], reference: why }) => {
      const listed = others.map((v) => `${v.id} (${v.dockerfile})`);
      const list = listed.length > 1 ? `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}, each` : listed[0];
      return `${name}: ${list} compared with ${reference!.id} (${reference!.dockerfile}, ${why})`;
    }),
    ...(lone.length > 0 ? [`${compared.length > 0 ? 'one image, compared with nothing' : 'one image each'}: ${lone.map((s) => `${s.name} (${s.variants[0]!.dockerfile})`).join(', ')}`] : []),
  ];
}

/** Commands with their comments lined up, whatever the commands' lengths (a --config flag makes `run` longer). */
export function nextSteps(steps: [command: string, comment: string][]): string {
  const width = Math.max(...steps.map(([command]) => command.length));
  return steps.map(([command, comment]) => `  ${command.padEnd(width)}  # ${comment}\n`).join('');
}
