import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { join } from 'node:path';

/** The part of a COPY source before any wildcard, without a leading "./" or "/" (context-relative). */
function literalPrefix(source: string): string {
  const path = source.replace(/^\.?\//, '');
  const wild = path.search(/[*?[]/);
  const literal = wild < 0 ? path : path.slice(0, path.lastIndexOf('/', wild) + 1);
  return literal.replace(/\/+$/, '') || '.';
}

export interface ContextGuess {
  /** Root-relative posix folder ("." for the root). */
  context: string;
  /** Why, in a line for the config's $comment. */
  reason: string;
}

/**
 * The build context a user would pick for a Dockerfile: its own folder when every path it COPYs or ADDs
 * is there, else the nearest folder above it (up to the repository root) where they all are. Sources that
 * exist nowhere (made by the build, or mistyped) leave the Dockerfile's own folder.
 */
export function guessContext(root: string, dockerfile: string, sources: string[]): ContextGuess {
  const own = posix.dirname(dockerfile);
  const literal = [...new Set(sources.filter((s) => !s.includes('$')).map(literalPrefix))];
  const holdsAll = (dir: string) => literal.every((s) => existsSync(join(root, dir, s)));
  if (literal.length === 0 || holdsAll(own)) return { context: own, reason: literal.length === 0 ? 'it copies nothing from a context: its own folder' : 'what it copies is in its own folder' };
  for (let dir = posix.dirname(own); ; dir = posix.dirname(dir)) {
    if (holdsAll(dir)) return { context: dir, reason: `it copies ${literal.filter((s) => !existsSync(join(root, own, s))).join(', ')}, found from ${dir === '.' ? 'the repository root' : dir}` };
    if (dir === '.') break;
  }
  return { context: own, reason: `it copies ${literal.join(', ')}, found nowhere in the repository: its own folder, check "context"` };
}
