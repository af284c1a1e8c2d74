import { dirname, relative, resolve } from 'node:path';
import type { DeclaredScenario } from '../config/schemas.js';
import { bulkSent, writeInitialConfig } from '../init/write-config.js';
import { wrap } from '../report/wrap.js';
import type { Outcome } from './exit-code.js';

export interface InitArgs {
  command: 'init';
  /** Where to write; default stagebench.config.json in the working directory, which is searched. */
  config?: string;
  force: boolean;
}

/** `stagebench init`: writes a starting config for the repository in cwd and says what to run next. */
export async function initCommand(args: InitArgs, io: { cwd: string; stdout: { write(s: string): unknown } }): Promise<Outcome> {
  const file = resolve(io.cwd, args.config ?? 'stagebench.config.json');
  const { config } = await writeInitialConfig(io.cwd, file, args.force);
  const names = Object.keys(config.scenarios ?? {});
  const flag = args.config ? ` --config ${args.config}` : '';
  // What every build of a scenario would send besides the app: measured as docker build does, but worth knowing.
  const bulky = Object.entries(config.scenarios ?? {}).flatMap(([name, s]) => {
    const sent = bulkSent(dirname(file), s as DeclaredScenario);
    return sent.length > 0 ? [wrap(`note: ${name}'s context ${s.context ?? '.'} has no .dockerignore, so every build sends ${sent.join(' and ')} to the engine too (as docker build does; it counts in the build time): a .dockerignore that leaves them out is the fix`, 80, '  ')] : [];
  });
  io.stdout.write(
    // Within 80 columns, as the help is; what `run` writes into results/ does not belong in git.
    `${wrap(`wrote ${relative(io.cwd, file)}: ${names.length} scenario(s), one image each (${names.join(', ')}); its "$comment" says what was guessed`, 80, '  ')}\n` +
      'next:\n' +
      nextSteps([
        [`npx stagebench run${flag}`, 'measure every scenario; git-ignore results/'],
        ['npx stagebench baseline update', 'keep that run as the baseline for CI'],
      ]) +
      bulky.map((l) => `${l}\n`).join(''),
  );
  return { kind: 'done' };
}

/** Commands with their comments lined up, whatever the commands' lengths (a --config flag makes `run` longer). */
export function nextSteps(steps: [command: string, comment: string][]): string {
  const width = Math.max(...steps.map(([command]) => command.length));
  return steps.map(([command, comment]) => `  ${command.padEnd(width)}  # ${comment}\n`).join('');
}
