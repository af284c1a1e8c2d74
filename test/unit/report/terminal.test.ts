import { readFileSync } from 'node:fs';
import { ResultsSchema } from '../../../harness/results/schema.js';
import { renderTerminal, terminalTable, wrap } from '../../../harness/report/terminal.js';
import { markdownTable, renderMarkdown } from '../../../harness/report/markdown.js';
import { renderChart } from '../../../harness/report/chart.js';
import { results, scenarioResults, variant } from '../results-fixture.js';

// The lesson scenarios' committed reference run: the table a new user sees first.
const lesson = ResultsSchema.parse(JSON.parse(readFileSync(new URL('../../../docs/reference/results.json', import.meta.url), 'utf8')));
const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));
const rules = (text: string) => text.split('\n').filter((l) => l.startsWith('─')).length;

test.each([80, 100, 200])('the lesson table fits %i columns, with one rule (under the header) and none between rows', (width) => {
  const out = renderTerminal(lesson, { color: false, width });
  expect(widest(out)).toBeLessThanOrEqual(width);
  expect(rules(out)).toBe(1);
  // Every variant is a row whatever the width, and its size is there.
  for (const s of lesson.scenarios) for (const v of s.variants) expect(out).toMatch(new RegExp(`^${s.name} +${v.id} +ok +\\S+ [kMG]B`, 'm'));
});

test('260 columns: every column of the reference run (sizes, start-up, deploy, download, packages, build time) is shown', () => {
  const out = renderTerminal(lesson, { color: false, width: 260 });
  expect(out).not.toContain('Not shown');
  for (const header of ['Wasted', 'Start-up', 'Deploy (n=3)', 'Download', 'Packages', 'time (n=3)']) expect(out.split('\n').slice(0, 2).join('\n')).toContain(header);
  expect(out).toMatch(/^go-app +multi +ok +78\.9 MB .* 106 ms ± 4 ms +0\.29 s ± 0\.00 s +2\.15 MB · 0\.17 s +deb 88 · go 2 +0\.68 s ± 0\.00 s /m);
});

test('100 columns: the notes become footnotes, build time stays, and what is left out is named', () => {
  const out = renderTerminal(lesson, { color: false, width: 100 });
  expect(out).toMatch(/^go-app +multi +ok +78\.9 MB +−86\.5 % \(−505 MB\) +31\.3 MB +0\.68 s ± 0\.00 s +\[2\] \[3\] \[4\]$/m);
  expect(out).toMatch(/^go-app +scratch .* \[3\] \[4\]$/m);
  // What ships that should not, the lesson's point: the multi-stage Node image still has the compiler.
  expect(out).toContain('\n[2] ships shell, package manager\n[3] other final base than single (confound)\n');
  expect(out).toContain('\n[6] ships TypeScript compiler, esbuild, npm\n[7] pulled after single: 10.3 MB\n[8] ships npm\n');
  expect(out).toContain('Not shown at 100 columns: Adds to base, Layers, Wasted, Start-up, Deploy, Download (has base),\nPackages, Final base (--wide shows every column; --format markdown or --format json holds\neverything).');
});

// The first table a user on a standard 80-column terminal sees after `--runs 3`: every headline metric.
const LESSON_AT_80 = `\
Scenario  Variant  Status     Size       vs     Pull          Build  Notes
                                     single   (gzip)     time (n=3)
────────────────────────────────────────────────────────────────────────────────
go-app    single   ok       584 MB        —   169 MB  0.91 ± 0.29 s  [1]
go-app    multi    ok      78.9 MB  −86.5 %  31.3 MB  0.68 ± 0.00 s  [2] [3] [4]
go-app    scratch  ok      4.85 MB  −99.2 %  2.14 MB  0.87 ± 0.23 s  [3] [4]
node-app  single   ok       364 MB        —   119 MB  4.69 ± 1.04 s  [5]
node-app  multi    ok       341 MB   −6.3 %   107 MB  5.20 ± 0.58 s  [6] [7]
node-app  prod     ok       303 MB  −16.6 %  97.7 MB  5.39 ± 1.28 s  [8] [9]
[1] ships Go toolchain, Go sources, shell, package manager
[2] ships shell, package manager
[3] other final base than single (confound)
[4] pulled after single: 2.14 MB
[5] ships TypeScript compiler, esbuild, app sources (src/), npm
[6] ships TypeScript compiler, esbuild, npm
[7] pulled after single: 10.3 MB
[8] ships npm
[9] pulled after single: 682 kB
Not shown at 80 columns: Adds to base, Layers, Wasted, Start-up, Deploy,
Download (has base), Packages, Final base (--wide shows every column; --format
markdown or --format json holds everything).
Docker 20.10.24+dfsg1 (API 1.41`;

test('80 columns, the reference --runs 3 run: build time stays, its unit said once, and "vs single" keeps its percentage', () => {
  const out = renderTerminal(lesson, { color: false, width: 80 });
  expect(out.slice(0, LESSON_AT_80.length)).toBe(LESSON_AT_80);
  expect(widest(out)).toBeLessThanOrEqual(80);
});

test('78 columns: build time has to go, and with the room that makes "vs single" gets its bytes back', () => {
  const out = renderTerminal(lesson, { color: false, width: 78 });
  expect(out.split('\n').slice(0, 5).join('\n')).toBe(`\
Scenario  Variant  Status     Size           vs single     Pull  Notes
                                                         (gzip)
────────────────────────────────────────────────────────────────────────────
go-app    single   ok       584 MB                   —   169 MB  [1]
go-app    multi    ok      78.9 MB   −86.5 % (−505 MB)  31.3 MB  [2] [3] [4]`);
  expect(out).toContain('Not shown at 78 columns: Adds to base, Layers, Wasted, Start-up, Deploy,\nDownload (has base), Packages, Build time, Final base');
});

test('60 columns: "vs single" as a percentage keeps its place; pull size goes before it', () => {
  const out = renderTerminal(lesson, { color: false, width: 60 });
  expect(out.split('\n').slice(0, 4).join('\n')).toBe(`\
Scenario  Variant  Status     Size       vs  Notes
                                     single
────────────────────────────────────────────────────────
go-app    single   ok       584 MB        —  [1]`);
  expect(out).toContain('Not shown at 60 columns: Pull (gzip), Adds to base');
  expect(widest(out)).toBeLessThanOrEqual(60);
});

test('compact cells come in the order columns are left out, and the last compacted gets its full cells back where a later step made room', () => {
  const columns = [
    { header: 'A', align: 'left' as const, value: () => 'aaaa' },
    { header: 'B', align: 'left' as const, value: () => 'bbbbbbbbbb', compact: { drop: 1, value: () => 'bb' }, drop: 3 },
    { header: 'C', align: 'left' as const, value: () => 'cccccccccc', drop: 2 },
  ];
  const table = (width: number) => terminalTable(columns, ['row'], { color: false, width }).split('\n')[2];
  expect(table(28)).toBe('aaaa  bbbbbbbbbb  cccccccccc');
  expect(table(20)).toBe('aaaa  bb  cccccccccc');
  expect(table(18)).toBe('aaaa  bbbbbbbbbb');
  expect(table(12)).toBe('aaaa  bb');
  expect(table(5)).toBe('aaaa');
  // The Markdown table knows nothing of compact forms: it holds every cell in full.
  expect(markdownTable(columns, ['row'])).toBe('| A | B | C |\n| --- | --- | --- |\n| aaaa | bbbbbbbbbb | cccccccccc |');
});

test('no width (--wide): as wide as the cells, every cell inline', () => {
  const out = renderTerminal(lesson, { color: false });
  expect(widest(out)).toBeGreaterThan(160);
  expect(out).not.toContain('Not shown');
  expect(out).toContain('stagebench-local/debian:bookworm-slim  ships shell, package manager; other final base than single (confound)');
  expect(out).not.toMatch(/\[\d\]/);
});

test('long failure notes fold into numbered footnotes; the same text gets the same number', () => {
  const long = 'failed to compute cache key: "/missing.txt" not found: not found';
  const doc = results([
    variant('single', { sizeBytes: 300_000_000 }),
    variant('multi', { status: 'failed', error: { message: long, logTail: [] } }),
    variant('prod', { status: 'failed', error: { message: long, logTail: [] } }),
  ]);
  const out = renderTerminal(doc, { color: false, width: 80 });
  expect(widest(out)).toBeLessThanOrEqual(80);
  expect(out).toMatch(/^node-app +multi +build failed .*\[1\]$/m);
  expect(out).toMatch(/^node-app +prod +build failed .*\[1\]$/m);
  expect(out).toContain(`[1] ${long}`);
});

test('the failure details under the table wrap between words at the width; the log lines are left as printed', () => {
  const message = 'base image "stagebench-local/nope:1" is not on the engine and could not be pulled (the pull from Docker Hub failed). Pull or load it yourself (docker pull / docker load), or map the Dockerfile\'s ARG to a local image with a --profile.';
  const log = `npm ERR! ${'x'.repeat(90)}`;
  const doc = results([variant('single', { sizeBytes: 300_000_000 }), variant('multi', { status: 'failed', error: { step: 'FROM (base image)', message, logTail: [log] } })]);
  const out = renderTerminal(doc, { color: false, width: 80 });
  const details = out.slice(out.indexOf('node-app › multi failed'));
  expect(details.split('\n').filter((l) => l !== `      ${log}`).every((l) => [...l].length <= 80)).toBe(true);
  expect(details).toContain(`\n      ${log}`);
  expect(details).toMatch(/^node-app › multi failed at FROM \(base image\):\n {4}base image "stagebench-local\/nope:1" is not on the engine and could not be\n {4}pulled/);
});

test('a variant the run stopped before measuring (Ctrl-C, the engine gone) is "not measured", not "build failed", in every format', () => {
  const message = 'not measured: the run was interrupted before its smoke check finished';
  const doc = results([
    variant('single', { sizeBytes: 300_000_000 }),
    variant('multi', { status: 'failed', notMeasured: 'interrupted', sizeBytes: 200_000_000, error: { message, logTail: [] } }),
    variant('prod', { status: 'failed', error: { message: 'RUN exited 1', logTail: [] } }),
  ]);
  const table = renderTerminal(doc, { color: false, width: 200 });
  expect(table).toMatch(/^node-app +multi +not measured +200 MB/m);
  expect(table).toMatch(/^node-app +prod +build failed /m);
  expect(table).toContain(`node-app › multi was not measured:\n    ${message}`);
  expect(table).toContain('node-app › prod failed:\n    RUN exited 1');
  expect(renderMarkdown(doc)).toContain('| node-app | multi | not measured |');
  // The chart: prod's two panels (size and build time; no pull sizes here) say "build failed", multi's none.
  expect(renderChart(doc).match(/build failed/g)).toHaveLength(2);
});

test('no "vs single" column when no scenario has a single variant to compare with (single-image scenarios, as init writes them)', () => {
  const doc = results([variant('default', { sizeBytes: 175_000_000 })]);
  expect(renderTerminal(doc, { color: false, width: 200 }).split('\n')[0]).toMatch(/^Scenario {2}Variant {2}Status {4}Size {4}Pull /);
  expect(renderMarkdown(doc)).not.toContain('vs single');
  expect(renderMarkdown(results([variant('single', { sizeBytes: 3 }), variant('multi', { sizeBytes: 2 })]))).toContain('| vs single |');
});

test('a column shares one unit: build times in seconds once one reaches a second, sizes in the largest one\'s unit', () => {
  const doc = results([variant('single', { sizeBytes: 1_200_000_000, buildMs: 12_000 }), variant('multi', { sizeBytes: 4_850_000, buildMs: 800 })]);
  const out = renderTerminal(doc, { color: false, width: 200 });
  expect(out).toMatch(/^node-app +single +ok +1200 MB .* 12\.0 s/m);
  expect(out).toMatch(/^node-app +multi +ok +4\.85 MB +−99\.6 % \(−1195 MB\) .* 0\.80 s/m);
});

test('colour only when asked: cyan header, grey rule', () => {
  const columns = [{ header: 'A', align: 'left' as const, value: (r: string) => r }];
  expect(terminalTable(columns, ['x'], { color: true, width: 80 })).toBe('\u001b[36mA\u001b[39m\n\u001b[90m─\u001b[39m\nx');
  expect(terminalTable(columns, ['x'], { color: false, width: 80 })).toBe('A\n─\nx');
});

test('wrap: words within the width, later lines indented', () => {
  expect(wrap('aaa bbb ccc ddd', 8, '  ')).toBe('aaa bbb\n  ccc\n  ddd');
  expect(wrap('aaa bbb', undefined)).toBe('aaa bbb');
});

// A team's own repository: init named the plain Dockerfile "default" and made it the reference.
const shop = [
  variant('default', { dockerfile: 'Dockerfile', sizeBytes: 364_000_000, compressedBytes: 119_000_000, buildMs: 4690 }),
  variant('dev', { dockerfile: 'Dockerfile.dev', sizeBytes: 912_000_000, compressedBytes: 301_000_000, buildMs: 9100, baseImages: ['node:24'] }),
  variant('prod', { dockerfile: 'Dockerfile.prod', sizeBytes: 151_000_000, compressedBytes: 52_000_000, buildMs: 5390 }),
];

test('one reference other than single: the column is "vs <it>" and the notes name it, in 80 columns', () => {
  const out = renderTerminal(scenarioResults({ shop }, { shop: 'default' }), { color: false, width: 80 });
  expect(out.split('\n').slice(0, 7).join('\n')).toBe(
    [
      'Scenario  Variant  Status    Size          vs default     Pull   Build  Notes',
      '                                                        (gzip)    time',
      '─'.repeat(77),
      'shop      default  ok      364 MB                   —   119 MB  4.69 s',
      'shop      dev      ok      912 MB  +150.6 % (+548 MB)   301 MB  9.10 s  [1]',
      'shop      prod     ok      151 MB   −58.5 % (−213 MB)  52.0 MB  5.39 s',
      '[1] other final base than default (confound)',
    ].join('\n'),
  );
  expect(renderMarkdown(scenarioResults({ shop }, { shop: 'default' }))).toContain('| Scenario | Variant | Status | Size | vs default | Pull (gzip) |');
});

test('references that differ between scenarios: "vs ref.", and each reference row says "ref." there', () => {
  const doc = scenarioResults({ shop, lesson: [variant('single', { sizeBytes: 300_000_000 }), variant('multi', { sizeBytes: 100_000_000 })] }, { shop: 'default' });
  const lines = renderTerminal(doc, { color: false, width: 80 }).split('\n');
  expect(lines[0]).toBe('Scenario  Variant  Status    Size             vs ref.     Pull   Build  Notes');
  expect(lines.slice(3, 8)).toEqual([
    'shop      default  ok      364 MB                ref.   119 MB  4.69 s',
    'shop      dev      ok      912 MB  +150.6 % (+548 MB)   301 MB  9.10 s  [1]',
    'shop      prod     ok      151 MB   −58.5 % (−213 MB)  52.0 MB  5.39 s',
    'lesson    single   ok      300 MB                ref.        —       —',
    'lesson    multi    ok      100 MB   −66.7 % (−200 MB)        —       —',
  ]);
  const md = renderMarkdown(doc);
  expect(md).toContain('| vs ref. |');
  expect(md).toContain('| shop | default | ok | 364 MB | ref. |');
  // A reference id too long for a narrow column is not spelt out in the header either.
  const long = scenarioResults({ m: [variant('node-20-slim_runtime', { sizeBytes: 2 }), variant('node-20_runtime', { sizeBytes: 3 })] }, { m: 'node-20-slim_runtime' });
  expect(renderMarkdown(long)).toContain('| m | node-20-slim_runtime | ok | 2 B | ref. |');
  // A one-image scenario next to the lesson's (nothing compared with its "default") leaves the header "vs single".
  const mixed = scenarioResults({ lesson: [variant('single', { sizeBytes: 3 }), variant('multi', { sizeBytes: 2 })], tool: [variant('default', { sizeBytes: 1 })] }, { tool: 'default' });
  expect(renderMarkdown(mixed)).toContain('| vs single |');
  expect(renderMarkdown(mixed)).toContain('| tool | default | ok | 1 B | — |');
});
