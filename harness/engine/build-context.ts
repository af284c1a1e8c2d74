import { existsSync, readFileSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import tarFs from 'tar-fs';
import { ignoreRules } from './dockerignore.js';

/** Which ignore file applies: `<Dockerfile>.dockerignore` wins over `.dockerignore`, as with buildx. */
export function ignoreFileFor(contextDir: string, dockerfile: string): string | undefined {
  for (const name of [`${dockerfile}.dockerignore`, '.dockerignore']) {
    if (existsSync(join(contextDir, name))) return name;
  }
  return undefined;
}

/** Context-relative paths the docker CLI would send, sorted; directories included, special files skipped. */
export async function contextEntries(contextDir: string, dockerfile: string): Promise<string[]> {
  const ignoreName = ignoreFileFor(contextDir, dockerfile);
  const ignoreText = ignoreName ? readFileSync(join(contextDir, ignoreName), 'utf8') : undefined;
  const rules = ignoreRules(ignoreText, [dockerfile, ...(ignoreName ? [ignoreName] : [])]);
  const kept: string[] = [];

  async function walk(relDir: string): Promise<void> {
    const names = (await readdir(join(contextDir, relDir))).sort();
    for (const name of names) {
      const rel = relDir === '' ? name : `${relDir}/${name}`;
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
 * The build context as a tar stream. Headers follow the CLI: owner 0/0 with no names (a uid change misses the
 * classic cache), modes as on disk (umask 0: a umask-changed mode misses both caches), mtimes kept,
 * symlinks stored as symlinks and never followed.
 */
export async function packContext(contextDir: string, dockerfile: string): Promise<Readable> {
  // tar-fs 3 takes `umask`; its published types (for v2) do not list it.
  const options = {
    // The exact list: with `ignore` always true tar-fs adds no directory children of its own, so a file
    // re-included inside an excluded directory is still sent, as the CLI does.
    entries: await contextEntries(contextDir, dockerfile),
    ignore: () => true,
    umask: 0,
    map: (header: tarFs.Headers) => ({ ...header, uid: 0, gid: 0, uname: '', gname: '' }),
  };
  return tarFs.pack(contextDir, options as tarFs.PackOptions) as unknown as Readable;
}
