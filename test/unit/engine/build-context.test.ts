import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar from 'tar-stream';
import { contextEntries, dockerfileInContext, ownOutputIn, packContext } from '../../../harness/engine/build-context.js';
import { shownPath } from '../../../harness/format/shown-path.js';
import { writeTree } from '../file-tree.js';

let dir: string;
const tree = (files: Record<string, string>) => writeTree(dir, files);
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sb-ctx-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// Each row was checked against what the docker CLI actually sends (engine-api-facts §4.1, §4.3).
test.each([
  ['root-only glob', '*.log', ['a.log', 'sub/b.log', 'keep.txt'], ['keep.txt', 'sub', 'sub/b.log']],
  ['any-depth glob', '**/*.tmp', ['a.tmp', 'x/y/b.tmp', 'x/y/c.txt'], ['x', 'x/y', 'x/y/c.txt']],
  ['a matched directory takes its contents', 'x.log', ['x.log/inner.txt', 'y.txt'], ['y.txt']],
  ['** also matches zero directories', 'docs/**/*.md', ['docs/r.md', 'docs/a/b.md', 'docs/keep.txt'], ['docs', 'docs/a', 'docs/keep.txt']],
  ['leading / and ./ are normalised', '/abs.txt\n./dot.txt', ['abs.txt', 'dot.txt', 'other.txt'], ['other.txt']],
  ['comments and trailing spaces', '# comment\nsecret.txt   ', ['secret.txt', '# comment'], ['# comment']],
  ['? and [] patterns', 'a?c.txt\n[x-z].txt', ['abc.txt', 'y.txt', 'b.txt'], ['b.txt']],
  ['last match wins with !', '*.txt\n!keep.txt', ['a.txt', 'keep.txt'], ['keep.txt']],
  ['an exception re-includes a file inside an excluded dir', 'keepdir\n!keepdir/k2.txt', ['keepdir/k1.txt', 'keepdir/k2.txt'], ['keepdir/k2.txt']],
  ['an excluded dir is pruned unless an exception starts with its path', '*\n!**/*.keep', ['other/y.keep', 'z.keep'], ['z.keep']],
  ['escaped !', '\\!bang.txt', ['!bang.txt', 'ok.txt'], ['ok.txt']],
])('%s', (_name, ignore, files, expected) => {
  tree(Object.fromEntries([...files.map((f) => [f, 'x']), ['Dockerfile', 'FROM scratch'], ['.dockerignore', ignore]]));
  const sent = contextEntries(dir, 'Dockerfile');
  return expect(sent).resolves.toEqual([...expected, '.dockerignore', 'Dockerfile'].sort());
});

test('the Dockerfile and .dockerignore are always sent, even when ignored', async () => {
  tree({ 'Dockerfile.single': 'FROM scratch', '.dockerignore': '*\n', 'app.js': '' });
  expect(await contextEntries(dir, 'Dockerfile.single')).toEqual(['.dockerignore', 'Dockerfile.single']);
});

test('<Dockerfile>.dockerignore wins over .dockerignore for that Dockerfile', async () => {
  tree({ Dockerfile: 'FROM scratch', 'Dockerfile.single': 'FROM scratch', 'Dockerfile.single.dockerignore': 'b.txt', '.dockerignore': 'a.txt', 'a.txt': '', 'b.txt': '' });
  expect(await contextEntries(dir, 'Dockerfile.single')).not.toContain('b.txt');
  expect(await contextEntries(dir, 'Dockerfile.single')).toContain('a.txt');
  expect(await contextEntries(dir, 'Dockerfile')).not.toContain('a.txt');
});

test('a Dockerfile outside the context: its own ignore file applies, the CLI always sends .dockerignore', async () => {
  tree({ 'ctx/a.txt': '', 'ctx/b.txt': '', 'ctx/.dockerignore': 'a.txt', 'df/Dockerfile': 'FROM scratch', 'df/Dockerfile.dockerignore': 'b.txt' });
  expect(await contextEntries(join(dir, 'ctx'), join(dir, 'df/Dockerfile'))).toEqual(['.dockerignore', 'a.txt']);
  rmSync(join(dir, 'df/Dockerfile.dockerignore'));
  expect(await contextEntries(join(dir, 'ctx'), '../df/Dockerfile')).toEqual(['.dockerignore', 'b.txt']);
});

async function tarEntries(packed: Awaited<ReturnType<typeof packContext>>): Promise<{ header: tar.Header; body: string }[]> {
  const out: { header: tar.Header; body: string }[] = [];
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c) => chunks.push(c as Buffer));
    stream.on('end', () => {
      out.push({ header, body: Buffer.concat(chunks).toString() });
      next();
    });
  });
  packed.tar.pipe(extract);
  await new Promise<void>((resolve) => extract.on('finish', () => resolve()));
  return out;
}

test('a Dockerfile outside the context is added as .dockerfile.<hash> (0600) and named in .dockerignore, as the CLI does with -f', async () => {
  tree({ 'ctx/app.txt': 'x', 'ctx/.dockerignore': '*.log', 'Dockerfile': 'FROM scratch\nCOPY app.txt /\n' });
  const packed = await packContext(join(dir, 'ctx'), join(dir, 'Dockerfile'));
  expect(packed.dockerfile).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
  const entries = await tarEntries(packed);
  expect(entries.map((e) => e.header.name)).toEqual(['app.txt', packed.dockerfile, '.dockerignore']);
  const byName = Object.fromEntries(entries.map((e) => [e.header.name, e]));
  expect(byName[packed.dockerfile]).toMatchObject({ header: { mode: 0o600, uid: 0, gid: 0 }, body: 'FROM scratch\nCOPY app.txt /\n' });
  expect(byName['.dockerignore']?.body).toBe(`*.log\n${packed.dockerfile}\n`);
  // The same content gives the same name, so a warm build sends the same context.
  const again = await packContext(join(dir, 'ctx'), '../Dockerfile');
  expect(again.dockerfile).toBe(packed.dockerfile);
  await tarEntries(again);
  // Without a .dockerignore, one is made holding only that name.
  rmSync(join(dir, 'ctx/.dockerignore'));
  const bare = await tarEntries(await packContext(join(dir, 'ctx'), join(dir, 'Dockerfile')));
  expect(bare.find((e) => e.header.name === '.dockerignore')?.body).toBe(`\n${packed.dockerfile}\n`);
});

test('a Dockerfile in a sub-folder of the context is named by its path there', async () => {
  tree({ 'services/api/Dockerfile': 'FROM scratch', 'a.txt': '' });
  const packed = await packContext(dir, join(dir, 'services/api/Dockerfile'));
  expect(packed.dockerfile).toBe('services/api/Dockerfile');
  expect((await tarEntries(packed)).map((e) => e.header.name)).toEqual(['a.txt', 'services', 'services/api', 'services/api/Dockerfile']);
});

test('the tar: owner 0/0 without names, modes as on disk, symlinks kept as links', async () => {
  tree({ Dockerfile: 'FROM scratch', 'run.sh': '#!/bin/sh' });
  const { chmodSync } = await import('node:fs');
  chmodSync(join(dir, 'run.sh'), 0o750);
  symlinkSync('/etc/passwd', join(dir, 'outside-link'));
  const headers: tar.Header[] = [];
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    headers.push(header);
    stream.resume();
    stream.on('end', next);
  });
  (await packContext(dir, 'Dockerfile')).tar.pipe(extract);
  await new Promise<void>((resolve) => extract.on('finish', () => resolve()));
  expect(headers.map((h) => h.name)).toEqual(['Dockerfile', 'outside-link', 'run.sh']);
  for (const h of headers) expect([h.uid, h.gid, h.uname, h.gname]).toEqual([0, 0, '', '']);
  const byName = Object.fromEntries(headers.map((h) => [h.name, h]));
  expect(byName['run.sh']?.mode).toBe(0o750);
  expect(byName['outside-link']).toMatchObject({ type: 'symlink', linkname: '/etc/passwd', size: 0 });
});

test("stagebench's own output inside the context is never sent, whatever .dockerignore says; outside, nothing changes", async () => {
  tree({ Dockerfile: 'FROM scratch', 'app.txt': '', '.dockerignore': '!results\n', 'results/latest.json': '{}', 'results/runs/1.json': '{}', 'report.md': '', 'results-old/x': '' });
  const own = [join(dir, 'results'), join(dir, 'results/latest.json'), join(dir, 'report.md'), join(dir, 'results/runs')];
  expect(ownOutputIn(dir, own)).toEqual(['report.md', 'results']);
  const names = async (leaveOut: string[]) => (await tarEntries(await packContext(dir, 'Dockerfile', leaveOut))).map((e) => e.header.name).sort();
  expect(await names(ownOutputIn(dir, own))).toEqual(['.dockerignore', 'Dockerfile', 'app.txt', 'results-old', 'results-old/x']);
  // Out folder outside the context (or the context itself): the context is sent as before.
  const everything = ['.dockerignore', 'Dockerfile', 'app.txt', 'report.md', 'results', 'results-old', 'results-old/x', 'results/latest.json', 'results/runs', 'results/runs/1.json'];
  expect(ownOutputIn(join(dir, 'results'), [join(dir, 'report.md'), dir, join(dir, 'results')])).toEqual([]);
  expect(await names(ownOutputIn(dir, [join(tmpdir(), 'elsewhere/results'), dir]))).toEqual(everything);
  expect(await names([])).toEqual(everything);
  // --out . with the context .: the folder's own entries go, the rest is sent.
  expect(ownOutputIn(dir, [dir, join(dir, 'latest.json'), join(dir, 'runs')])).toEqual(['latest.json', 'runs']);
});

test('own output reached through a symlink is recognised, also before the --out folder exists', async () => {
  tree({ 'real/app/Dockerfile': 'FROM scratch', 'real/app/app.txt': '' });
  symlinkSync(join(dir, 'real/app'), join(dir, 'linkapp'));
  // The context through the link, --out by its real path (not made yet: the first build comes before it).
  expect(ownOutputIn(join(dir, 'linkapp'), [join(dir, 'real/app/results')])).toEqual(['results']);
  expect(ownOutputIn(join(dir, 'linkapp'), [join(dir, 'real/app/results/runs/x/y.json')])).toEqual(['results/runs/x/y.json']);
  // The context by its real path, --out through the link.
  expect(ownOutputIn(join(dir, 'real/app'), [join(dir, 'linkapp/results')])).toEqual(['results']);
  tree({ 'real/app/results/latest.json': '{}' });
  const sent = await tarEntries(await packContext(join(dir, 'linkapp'), 'Dockerfile', ownOutputIn(join(dir, 'linkapp'), [join(dir, 'real/app/results')])));
  expect(sent.map((e) => e.header.name).sort()).toEqual(['Dockerfile', 'app.txt']);
  // Outside stays outside, with or without links.
  expect(ownOutputIn(join(dir, 'linkapp'), [join(dir, 'real/results'), join(dir, 'real')])).toEqual([]);
});

test('a folder named `..results` is inside: paths are compared by segment, not as text', () => {
  expect(ownOutputIn(dir, [join(dir, '..results')])).toEqual(['..results']);
  expect(ownOutputIn(join(dir, 'ctx'), [join(dir, 'ctx-results'), dir])).toEqual([]);
  expect(dockerfileInContext(dir, '..docker/Dockerfile')).toBe('..docker/Dockerfile');
  expect(dockerfileInContext(join(dir, 'ctx'), '../Dockerfile')).toBeUndefined();
  expect(shownPath(dir, join(dir, '..results/latest.json'))).toBe('..results/latest.json');
  expect(shownPath(join(dir, 'ctx'), join(dir, 'latest.json'))).toBe(join(dir, 'latest.json'));
});
