import { relative, resolve } from 'node:path';
import { writeInitialConfig } from '../init/write-config.js';
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
  io.stdout.write(
    `wrote ${relative(io.cwd, file)}: ${names.length} scenario(s), one image each (${names.join(', ')}); its "$comment" says what was guessed\n` +
      'next:\n' +
      `  npx stagebench run${flag}              # build and measure every scenario\n` +
      `  npx stagebench baseline update        # keep that run as the baseline CI compares with\n`,
  );
  return { kind: 'done' };
}
