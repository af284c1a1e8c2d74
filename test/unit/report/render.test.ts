import { renderMarkdown } from '../../../harness/report/markdown.js';
import { renderTerminal } from '../../../harness/report/terminal.js';
import { results, variant } from '../results-fixture.js';

const doc = results([
  variant('single', { sizeBytes: 375_000_000, layerCount: 7, buildMs: 12_345, addedBytes: 200_000_000 }),
  variant('multi', { sizeBytes: 175_000_000, layerCount: 9, buildMs: 9_000, baseImages: ['node:24-alpine'] }),
  variant('scratch', { sizeBytes: 4_590_000, layerCount: 2, buildMs: 800, baseImages: ['scratch'], smoke: { status: 'failed', check: 'GET http://127.0.0.1:1/healthz', ms: 5, reason: 'HTTP 500' } }),
  variant('broken', { status: 'failed', error: { step: '[build 3/3] RUN exit 3', message: 'exit code: 3', exitCode: 3, logTail: ['about to fail'] } }),
]);

test('markdown: one row per variant, units, change vs single, notes; failures in details', () => {
  expect(renderMarkdown(doc)).toBe(
    [
      '| Scenario | Variant | Status | Size | vs single | Pull (gzip) | Adds to base | Layers | Build time | Final base | Notes |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
      '| node-app | single | ok | 375 MB | — | — | 200 MB | 7 | 12.3 s | node:24-alpine |  |',
      '| node-app | multi | ok | 175 MB | −53.3 % (−200 MB) | — | — | 9 | 9.00 s | node:24-alpine |  |',
      '| node-app | scratch | smoke failed | 4.59 MB | −98.8 % (−370 MB) | — | — | 2 | 0.80 s | scratch | other final base than single (confound); smoke: HTTP 500 |',
      '| node-app | broken | build failed | — | — | — | — | — | — | node:24-alpine | RUN exited 3 |',
      '',
      'Docker 20.10.24 (API 1.41, overlay2, linux/amd64, 2 CPUs), builder buildkit. Size: uncompressed image size from the Engine (SI units); build time: with the layer cache, 2026-11-27T12:00:00.000Z.',
      '',
      '<details><summary>Failures</summary>',
      '',
      '```text',
      'node-app › scratch built but its smoke check failed (GET http://127.0.0.1:1/healthz): HTTP 500',
      '',
      'node-app › broken failed at [build 3/3] RUN exit 3 (exit code 3):',
      '    exit code: 3',
      '    last output:',
      '      about to fail',
      '```',
      '</details>',
      '',
    ].join('\n'),
  );
});

test('a pipe in a cell is escaped in markdown', () => {
  const md = renderMarkdown(results([variant('single', { status: 'failed', error: { message: 'a | b', logTail: [] } })]));
  expect(md).toContain('a \\| b');
});

test('terminal: the same cells, and no colour codes when colour is off', () => {
  const plain = renderTerminal(doc, { color: false });
  expect(plain).not.toMatch(/\u001b\[/);
  for (const cell of ['375 MB', '−53.3 % (−200 MB)', 'smoke failed', 'RUN exited 3', 'about to fail']) expect(plain).toContain(cell);
});

test('vs single: a variant larger than single shows its growth with a sign, in % and bytes', () => {
  const doc = results([variant('single', { sizeBytes: 3_030_000 }), variant('multi', { sizeBytes: 11_980_000 })]);
  expect(renderMarkdown(doc)).toContain('| node-app | multi | ok | 12.0 MB | +295.4 % (+8.95 MB) |');
});

test('markdown with --deploy: a Deploy column (pull + start, median ± MAD) and the download of a host with the base at the stated rate', () => {
  const stats = (median: number, mad: number) => ({ n: 3, median, mean: median, stddev: 0, min: median, max: median, mad, outliers: [] });
  const d = (withBase: number, deployMs: number) => ({ configBytes: 100, layers: [], withBaseBytes: withBase, withoutBaseBytes: withBase + 1000, fetchedBytes: withBase, pullMs: 1, startMs: 1, deployMs, deployStats: stats(deployMs, 12), downloadMs: { withBase: Math.round((withBase * 8) / 100_000), withoutBase: 0 } });
  const deployed = {
    ...results([variant('single', { sizeBytes: 375_000_000, deploy: d(120_000_000, 2_400) }), variant('multi', { sizeBytes: 175_000_000 })]),
    deploy: { registry: 'docker-registry 2.8.2+ds1', bandwidth: '100Mbit', bitsPerSecond: 100_000_000 },
  };
  const md = renderMarkdown(deployed);
  expect(md).toContain('| Deploy | Download (has base) |');
  expect(md).toContain('| 2.40 s ± 0.01 s (n=3) | 120 MB · 9.60 s |');
  expect(md).toContain('| — | — |');
  expect(md).toContain('Deploy: pull from a loopback docker-registry 2.8.2+ds1 + start to the first passing smoke check; download: compressed bytes a host with the final base fetches, and their time at 100Mbit.');
  expect(renderMarkdown(doc)).not.toContain('Deploy');
});
