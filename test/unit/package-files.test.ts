import { readFileSync } from 'node:fs';

// The README is the package's front page on the registry and in node_modules: every file it links to must
// ship with it (package.json "files"), or the link is dead for whoever installed the package.
const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { files: string[]; license?: string };
const readme = readFileSync(new URL('README.md', root), 'utf8');

/** Relative links of a Markdown text: [text](path), without an anchor, not a URL. */
const relativeLinks = (md: string) => [...new Set([...md.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l)))];

test('every file the README links to is in the package', () => {
  const links = relativeLinks(readme);
  expect(links).toEqual(expect.arrayContaining(['docs/ci/github-actions.yml', 'docs/claims.md']));
  expect(links.filter((l) => !manifest.files.includes(l))).toEqual([]);
});

test('the docs the package ships link only to files it ships', () => {
  const docs = manifest.files.filter((f) => f.endsWith('.md'));
  const dead = docs.flatMap((doc) =>
    relativeLinks(readFileSync(new URL(doc, root), 'utf8'))
      .map((l) => new URL(l, new URL(doc, root)).pathname.slice(root.pathname.length))
      .filter((l) => !manifest.files.includes(l) && l !== 'README.md')
      .map((l) => `${doc} -> ${l}`),
  );
  expect(dead).toEqual([]);
});
