import { execa } from 'execa';

/** The commit the scenarios were measured at, or null outside a git checkout. */
export async function gitState(cwd: string): Promise<{ commit: string; dirty: boolean } | null> {
  const head = await execa('git', ['rev-parse', 'HEAD'], { cwd, reject: false });
  if (head.exitCode !== 0) return null;
  const status = await execa('git', ['status', '--porcelain'], { cwd, reject: false });
  return { commit: head.stdout.trim(), dirty: status.stdout.trim() !== '' };
}
