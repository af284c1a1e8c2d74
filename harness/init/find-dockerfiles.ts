import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Folders never searched, whatever .gitignore says. */
const SKIPPED = new Set(['node_modules', '.git']);

/** `Dockerfile`, `Dockerfile.<x>`, `<x>.Dockerfile` / `<x>.dockerfile`, but not their ignore files. */
export function isDockerfileName(name: string): boolean {
  if (name.endsWith('.dockerignore')) return false;
  return name === 'Dockerfile' || name.startsWith('Dockerfile.') || /\.dockerfile$/i.test(name);
}

interface Rules {
  /** The folder (repository-relative, "" for the root) whose .gitignore this is. */
  base: string;
  matcher: Ignore;
}

const ignoredBy = (rules: Rules[], rel: string, dir: boolean) =>
  rules.some(({ base, matcher }) => {
    const inside = base === '' ? rel : rel.slice(base.length + 1);
    return matcher.ignores(dir ? `${inside}/` : inside);
  });

/**
 * The Dockerfiles under root, as sorted root-relative posix paths. Skips node_modules, .git and whatever
 * the .gitignore files (root and nested, each for its own folder) ignore; symlinks are not followed.
 */
export async function findDockerfiles(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(rel: string, inherited: Rules[]): Promise<void> {
    const dir = join(root, rel);
    const gitignore = join(dir, '.gitignore');
    const rules = existsSync(gitignore) ? [...inherited, { base: rel, matcher: ignore().add(await readFile(gitignore, 'utf8')) }] : inherited;
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name) && !ignoredBy(rules, path, true)) await walk(path, rules);
      } else if (entry.isFile() && isDockerfileName(entry.name) && !ignoredBy(rules, path, false)) {
        found.push(path);
      }
    }
  }
  await walk('', []);
  return found.sort();
}
