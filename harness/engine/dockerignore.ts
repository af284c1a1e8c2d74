import { posix } from 'node:path';
import balena from '@balena/dockerignore';

// A CommonJS module whose types declare `export default`: under NodeNext the factory is `.default`.
const dockerignore = balena.default;

export interface IgnoreRules {
  /** True when the docker CLI would leave this context-relative path out of the build context. */
  excludes(relPath: string): boolean;
  /** True when the CLI would not even walk into this excluded directory. */
  prunes(relDir: string): boolean;
}

interface Pattern {
  text: string;
  exclusion: boolean;
}

/** Pattern lines as the CLI reads them: trimmed, comments dropped, `!` split off, cleaned, leading `/` removed. */
export function readPatterns(ignoreFile: string): Pattern[] {
  const patterns: Pattern[] = [];
  for (const raw of ignoreFile.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const exclusion = line.startsWith('!');
    if (exclusion) line = line.slice(1).trim();
    if (line === '') continue;
    const text = posix.normalize(line).replace(/^\/+/, '');
    patterns.push({ text, exclusion });
  }
  return patterns;
}

/**
 * The docker CLI's context rules: `.dockerignore` matching (balena's port of the same Go matcher), plus two
 * behaviours of the CLI itself that the matcher lacks: the Dockerfile and the ignore file are always sent,
 * and an excluded directory is not walked unless an exception pattern starts with its path.
 */
export function ignoreRules(ignoreFile: string | undefined, alwaysSend: string[]): IgnoreRules {
  const forced = alwaysSend.map((p) => `!${p}`);
  const text = [ignoreFile ?? '', ...forced].join('\n');
  const matcher = dockerignore({ ignorecase: false }).add(text);
  const exceptions = readPatterns(text).filter((p) => p.exclusion);
  return {
    excludes: (relPath) => matcher.ignores(relPath),
    prunes: (relDir) => {
      if (!matcher.ignores(relDir)) return false;
      const dirSlash = `${relDir}/`;
      return !exceptions.some((p) => `${p.text}/`.startsWith(dirSlash));
    },
  };
}
