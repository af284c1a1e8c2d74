import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import tarFs from 'tar-fs';
import type { Pack } from 'tar-stream';
import { ignoreRules } from './dockerignore.js';
import { realPathOf, relativeInside } from './path-inside.js';

/**
 * The Dockerfile's path inside the context (posix, context-relative), or undefined when it lies outside.
 * `dockerfile` is context-relative or absolute, as in a BuildRequest.
 */
export function dockerfileInContext(contextDir: string, dockerfile: string): string | undefined {
  const rel = relativeInside(resolve(contextDir), resolve(contextDir, dockerfile));
  if (!rel) return undefined;
  return rel.split(sep).join('/');
}

/**
 * Which ignore file applies, as an absolute path: `<Dockerfile>.dockerignore` next to the Dockerfile wins over
 * the context's `.dockerignore`, as with buildx (also for a Dockerfile outside the context).
 */
export function ignoreFileFor(contextDir: string, dockerfile: string): string | undefined {
  for (const path of [`${resolve(contextDir, dockerfile)}.dockerignore`, join(contextDir, '.dockerignore')]) {
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Which of stagebench's own output paths (absolute: the --out folder, the --report file) lie inside the
 * context, context-relative (posix). Compared with symlinks resolved on both sides (a context or an --out
 * reached through a link, an --out not made yet). A path that is the context itself is not one of them; a
 * path under another one is dropped (its folder is left out already).
 */
export function ownOutputIn(contextDir: string, paths: string[]): string[] {
  const context = realPathOf(contextDir);
  const inside = paths.flatMap((p) => {
    const rel = relativeInside(context, realPathOf(p));
    return rel ? [rel.split(sep).join('/')] : [];
  });
  return [...new Set(inside)].filter((p) => !inside.some((q) => p.startsWith(`${q}/`))).sort();
}

/**
 * Context-relative paths the docker CLI would send, sorted; directories included, special files skipped.
 * `leaveOut` (context-relative: stagebench's own output, see ownOutputIn) is never sent, nor anything under it,
 * whatever the ignore file says.
 */
export async function contextEntries(contextDir: string, dockerfile: string, leaveOut: string[] = []): Promise<string[]> {
  const ignoreFile = ignoreFileFor(contextDir, dockerfile);
  const ignoreText = ignoreFile ? readFileSync(ignoreFile, 'utf8') : undefined;
  // The CLI always sends the Dockerfile and the ignore file, when they are inside the context.
  const alwaysSend = [dockerfileInContext(contextDir, dockerfile), ignoreFile ? dockerfileInContext(contextDir, ignoreFile) : undefined].filter((p): p is string => p !== undefined);
  const rules = ignoreRules(ignoreText, alwaysSend);
  const kept: string[] = [];

  async function walk(relDir: string): Promise<void> {
    const names = (await readdir(join(contextDir, relDir))).sort();
    for (const name of names) {
      const rel = relDir === '' ? name : `${relDir}/${name}`;
      if (leaveOut.includes(rel)) continue;
      const stat = await lstat(join(contextDir, rel));
      if (stat.isDirectory()) {
        if (rules.prunes(rel)) continue;
        if (!rules.excludes(rel)) kept.push(rel);
        await walk(rel);
      } else if (stat.isFile() || stat.isSymbolicLink()) {
        if (!rules.excludes(rel)) kept.push(rel);
      }
    }
  }
  await walk('');
  return kept;
}

/**
 * The name a Dockerfile from outside the context gets inside it. The CLI uses `.dockerfile.<20 random hex>`;
 * here the 20 hex digits come from the content, so that repeated builds send the same tar and a warm build
 * can hit the cache (a new random name each time would change what `COPY . .` sees under BuildKit).
 */
export function outsideDockerfileName(content: Buffer): string {
  return `.dockerfile.${createHash('sha256').update(content).digest('hex').slice(0, 20)}`;
}

export interface PackedContext {
  tar: Readable;
  /** What to pass as `dockerfile=`: its path in the context, or the added entry's name. */
  dockerfile: string;
}

/**
 * The build context as a tar stream. Headers follow the CLI: owner 0/0 with no names (a uid change misses the
 * classic cache), modes as on disk (umask 0: a umask-changed mode misses both caches), mtimes kept,
 * symlinks stored as symlinks and never followed. A Dockerfile outside the context is added as the CLI does
 * with `-f` (`AddDockerfileToBuildContext`): as a mode-0600 entry, with its name appended to the
 * `.dockerignore` entry (made when there is none) so the classic builder drops it from the context.
 * `leaveOut`: stagebench's own output inside the context (ownOutputIn), never sent: it is not the user's source,
 * a fresh checkout's `docker build` would not see it, and it changes with every run (no cache hit, a growing image).
 */
export async function packContext(contextDir: string, dockerfile: string, leaveOut: string[] = []): Promise<PackedContext> {
  const inside = dockerfileInContext(contextDir, dockerfile);
  let entries = await contextEntries(contextDir, dockerfile, leaveOut);
  let extra: { name: string; content: Buffer; mtime: Date }[] = [];
  let name = inside ?? '';
  if (inside === undefined) {
    const path = resolve(contextDir, dockerfile);
    const content = await readFile(path);
    name = outsideDockerfileName(content);
    const ignorePath = join(contextDir, '.dockerignore');
    const sentIgnore = entries.includes('.dockerignore');
    const ignoreText = sentIgnore ? await readFile(ignorePath) : Buffer.alloc(0);
    const mtime = statSync(path).mtime;
    entries = entries.filter((e) => e !== '.dockerignore');
    extra = [
      { name, content, mtime },
      { name: '.dockerignore', content: Buffer.concat([ignoreText, Buffer.from(`\n${name}\n`)]), mtime: sentIgnore ? statSync(ignorePath).mtime : mtime },
    ];
  }
  // tar-fs 3 takes `umask`; its published types (for v2) do not list it.
  const options = {
    // The exact list: with `ignore` always true tar-fs adds no directory children of its own, so a file
    // re-included inside an excluded directory is still sent, as the CLI does.
    entries,
    ignore: () => true,
    umask: 0,
    map: (header: tarFs.Headers) => ({ ...header, uid: 0, gid: 0, uname: '', gname: '' }),
    finalize: extra.length === 0,
    finish: (pack: Pack) => {
      if (extra.length === 0) return;
      for (const e of extra) pack.entry({ name: e.name, mode: 0o600, mtime: e.mtime, uid: 0, gid: 0, uname: '', gname: '' }, e.content);
      pack.finalize();
    },
  };
  return { tar: tarFs.pack(contextDir, options as unknown as tarFs.PackOptions) as unknown as Readable, dockerfile: name };
}
