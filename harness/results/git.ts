import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// Node's own execFile: two short git calls on every run do not need execa, whose loading alone costs more
// (about 60 ms) than the calls.
const run = promisify(execFile);

/** The commit the scenarios were measured at, or null outside a git checkout (or without git). */
export async function gitState(cwd: string): Promise<{ commit: string; dirty: boolean } | null> {
  const head = await run('git', ['rev-parse', 'HEAD'], { cwd }).catch(() => undefined);
  if (!head) return null;
  const status = await run('git', ['status', '--porcelain'], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(() => ({ stdout: '' }));
  return { commit: head.stdout.trim(), dirty: status.stdout.trim() !== '' };
}
