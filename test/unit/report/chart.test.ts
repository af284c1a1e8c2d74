import { readFileSync } from 'node:fs';
import { renderChart } from '../../../harness/report/chart.js';
import { footnote } from '../../../harness/report/columns.js';
import { formatBytes, formatMs } from '../../../harness/format/units.js';
import { type Results, ResultsSchema, type VariantResult } from '../../../harness/results/schema.js';
import { results, scenarioResults, variant } from '../results-fixture.js';

// Variants listed out of order on purpose, so the legend order is the renderer's; size, pull size and time ratios
// differ so a panel drawn from the wrong number fails; every bar is long enough (> 15 px) for a 1 % length check.
const doc = scenarioResults({
  'go-app': [
    variant('scratch', { sizeBytes: 60_000_000, compressedBytes: 30_000_000, buildMs: 61_000 }),
    variant('multi', { sizeBytes: 120_000_000, compressedBytes: 45_000_000, buildMs: 45_600 }),
    variant('single', { sizeBytes: 480_000_000, compressedBytes: 160_000_000, buildMs: 12_300 }),
  ],
  'node-app': [
    variant('single', { sizeBytes: 360_000_000, compressedBytes: 120_000_000, buildMs: 9_000 }),
    variant('prod', { sizeBytes: 240_000_000, compressedBytes: 90_000_000, buildMs: 15_500, smoke: { status: 'failed', check: 'GET /', ms: 3, reason: 'HTTP 500' } }),
    variant('multi', { status: 'failed', error: { message: 'exit code: 1', exitCode: 1, logTail: [] } }),
  ],
});

interface Bar {
  left: number;
  top: number;
  length: number;
  thickness: number;
  fill: string;
}

interface Text {
  x: number;
  y: number;
  anchor: string;
  fill: string;
  content: string;
}

const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
const translate = (a: Record<string, string>) => (a.transform?.match(/translate\(([-\d.]+) ([-\d.]+)\)/)?.slice(1).map(Number) ?? [0, 0]) as [number, number];
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** The bars echarts drew: horizontal rectangles "M left top l length 0 l 0 thickness l -length 0 Z". */
function barsOf(svg: string): Bar[] {
  return [...svg.matchAll(/<path [^>]*ecmeta_ssr_type="chart"[^>]*>/g)].map(([tag]) => {
    const a = attrs(tag);
    const m = a.d?.match(/^M([-\d.]+) ([-\d.]+)l([\d.]+) 0l0 ([\d.]+)l-?[\d.]+ 0Z$/);
    if (!m || !a.fill) throw new Error(`not a bar: ${tag}`);
    return { left: Number(m[1]), top: Number(m[2]), length: Number(m[3]), thickness: Number(m[4]), fill: a.fill };
  });
}

function textsOf(svg: string): Text[] {
  return [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].map(([, tag = '', content = '']) => {
    const a = attrs(tag);
    const [tx, ty] = translate(a);
    return { x: tx + Number(a.x ?? 0), y: ty + Number(a.y ?? 0), anchor: a['text-anchor'] ?? 'start', fill: a.fill ?? '', content: unescape(content) };
  });
}

/** Legend entries in order: the id and the colour of the swatch drawn at the same place. */
function legendOf(svg: string): { id: string; fill: string }[] {
  const swatches = [...svg.matchAll(/<path [^>]*ecmeta_ssr_type="legend"[^>]*>/g)].map(([tag]) => attrs(tag)).filter((a) => a.fill !== 'none');
  return swatches.map((s) => {
    const label = svg.match(new RegExp(`<text [^>]*transform="${s.transform?.replace(/[()]/g, '\\$&')}"[^>]*>([^<]*)</text>`));
    return { id: label?.[1] ?? '?', fill: s.fill ?? '?' };
  });
}

type PanelName = 'size' | 'pull' | 'time';
interface Located extends Bar {
  panel: PanelName;
  scenario: string;
  variant: string;
}

/** Each bar placed the way a reader does: panel by its axis (left to right), scenario by the nearest row name, variant by colour. */
function locate(svg: string, r: Results, panels: PanelName[] = ['size', 'pull', 'time']): Located[] {
  const bars = barsOf(svg).filter((b) => b.length > 0);
  const lefts = [...new Set(bars.map((b) => b.left))].sort((a, b) => a - b);
  expect(lefts).toHaveLength(panels.length);
  const names = new Set(r.scenarios.map((s) => s.name));
  const rowNames = textsOf(svg).filter((t) => t.anchor === 'end' && names.has(t.content));
  const byFill = new Map(legendOf(svg).map((l) => [l.fill, l.id]));
  return bars.map((b) => {
    const centre = b.top + b.thickness / 2;
    const nearest = [...rowNames].sort((p, q) => Math.abs(p.y - centre) - Math.abs(q.y - centre))[0];
    return { ...b, panel: panels[lefts.indexOf(b.left)]!, scenario: nearest?.content ?? '?', variant: byFill.get(b.fill) ?? '?' };
  });
}

const ok = (r: Results) => r.scenarios.flatMap((s) => s.variants.filter((v) => v.status === 'ok').map((v) => ({ scenario: s.name, v })));
/** The variant of doc a located bar stands for. */
const variantOf = (b: Located) => doc.scenarios.find((s) => s.name === b.scenario)?.variants.find((v) => v.id === b.variant) as VariantResult;
const valueOf = (panel: PanelName, v: VariantResult) => (panel === 'size' ? v.sizeBytes : panel === 'pull' ? v.compressedBytes : v.buildMs) as number;
// One unit per axis: these values are all MB, and build times all s.
const labelOf = (panel: PanelName, v: VariantResult) => `${panel === 'time' ? formatMs(v.buildMs!, 's') : formatBytes(valueOf(panel, v), 'MB')}${v.smoke?.status === 'failed' ? ' (smoke failed)' : ''}`;

const svg = renderChart(doc);

test('a standalone SVG document with a white background, a title and the engine facts', () => {
  expect(svg).toMatch(/^<svg width="880" height="\d+" xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*viewBox="0 0 880 \d+">\n<rect width="880" height="\d+" x="0" y="0" fill="#ffffff"><\/rect>\n/);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  const texts = textsOf(svg).map((t) => t.content);
  expect(texts).toContain('stagebench: single vs multi-stage');
  // The footnote the tables print, wrapped over lines that follow each other.
  expect(texts.join(' ')).toContain(footnote(doc));
  expect(svg).not.toMatch(/@keyframes|<animate/);
});

test('three panels, each titled with its one unit: image size, pull size and build time', () => {
  const texts = textsOf(svg).map((t) => t.content);
  expect(texts).toEqual(expect.arrayContaining(['Image size (MB)', 'Pull size (gzip) (MB)', 'Build time (s)']));
  // Without pull sizes (--no-compressed) the panel is left out rather than drawn empty.
  const noPull = renderChart(scenarioResults({ a: [variant('single', { sizeBytes: 2_000_000, buildMs: 2_000 })] }));
  expect(textsOf(noPull).map((t) => t.content)).not.toContain('Pull size (gzip) (MB)');
});

test('legend: single, multi, then the other variants in order of appearance, one colour each', () => {
  const legend = legendOf(svg);
  expect(legend.map((l) => l.id)).toEqual(['single', 'multi', 'scratch', 'prod']);
  expect(new Set(legend.map((l) => l.fill)).size).toBe(4);
});

test("the references first in the legend, and a title that says what the bars are compared with, when one is not single", () => {
  const own = scenarioResults(
    {
      web: [variant('dev', { sizeBytes: 9_000_000, buildMs: 2_000 }), variant('prod', { sizeBytes: 3_000_000, buildMs: 2_000 }), variant('default', { sizeBytes: 5_000_000, buildMs: 2_000 })],
      api: [variant('prod', { sizeBytes: 3_000_000, buildMs: 2_000 }), variant('default', { sizeBytes: 5_000_000, buildMs: 2_000 })],
    },
    { web: 'default', api: 'default' },
  );
  const one = renderChart(own);
  expect(legendOf(one).map((l) => l.id)).toEqual(['default', 'dev', 'prod']);
  expect(textsOf(one).map((t) => t.content)).toContain('stagebench: variants vs default');
  const mixed = renderChart(scenarioResults({ web: own.scenarios[0]!.variants, lesson: [variant('multi', { sizeBytes: 1_000_000, buildMs: 2_000 }), variant('single', { sizeBytes: 4_000_000, buildMs: 2_000 })] }, { web: 'default' }));
  expect(legendOf(mixed).map((l) => l.id)).toEqual(['default', 'single', 'multi', 'dev', 'prod']);
  expect(textsOf(mixed).map((t) => t.content)).toContain('stagebench: variants vs their reference (per scenario)');
});

test('with no scenario comparing variants (lone Dockerfiles, as init writes them) the title claims no comparison', () => {
  const lone = renderChart(scenarioResults({ web: [variant('default', { sizeBytes: 5_000_000, buildMs: 2_000 })], api: [variant('default', { sizeBytes: 3_000_000, buildMs: 2_000 })] }));
  const texts = textsOf(lone).map((t) => t.content);
  expect(texts).toContain('stagebench: one image per scenario');
  expect(texts).not.toContain('stagebench: single vs multi-stage');
});

test('one bar per successful variant and panel, in its scenario\'s row, with its variant colour', () => {
  const placed = locate(svg, doc).map((b) => `${b.panel} ${b.scenario} ${b.variant}`).sort();
  const expected = ok(doc).flatMap(({ scenario, v }) => [`size ${scenario} ${v.id}`, `pull ${scenario} ${v.id}`, `time ${scenario} ${v.id}`]).sort();
  expect(placed).toEqual(expected);
});

test('a failed variant is shown as failed in every panel, in red, not left out', () => {
  const failed = textsOf(svg).filter((t) => t.content === 'build failed');
  expect(failed).toHaveLength(3);
  for (const t of failed) expect(t.fill).toBe('#B00020');
  // In node-app's row, between its single and prod bars.
  const rows = locate(svg, doc).filter((b) => b.scenario === 'node-app' && b.panel === 'size');
  const single = rows.find((b) => b.variant === 'single')!;
  const prod = rows.find((b) => b.variant === 'prod')!;
  for (const t of failed) expect(t.y > single.top && t.y < prod.top).toBe(true);
});

test('bars within a scenario are in legend order, scenarios in results order, top to bottom', () => {
  const bars = locate(svg, doc).filter((b) => b.panel === 'size');
  const order = (scenario: string) => bars.filter((b) => b.scenario === scenario).sort((a, b) => a.top - b.top).map((b) => b.variant);
  expect(order('go-app')).toEqual(['single', 'multi', 'scratch']);
  expect(order('node-app')).toEqual(['single', 'prod']);
  const rows = textsOf(svg).filter((t) => t.anchor === 'end' && ['go-app', 'node-app'].includes(t.content));
  expect(rows.sort((a, b) => a.y - b.y).map((t) => t.content)).toEqual(['go-app', 'node-app']);
});

test('bar lengths are proportional to the values, within 1 %', () => {
  for (const panel of ['size', 'pull', 'time'] as const) {
    const bars = locate(svg, doc).filter((b) => b.panel === panel);
    const value = (b: Located) => valueOf(panel, variantOf(b));
    const longest = bars.reduce((a, b) => (b.length > a.length ? b : a));
    for (const b of bars) {
      expect(b.length).toBeGreaterThan(15);
      expect(Math.abs(b.length / longest.length / (value(b) / value(longest)) - 1)).toBeLessThan(0.01);
    }
  }
});

test('every bar carries its value in its axis\'s unit, just right of its end', () => {
  const texts = textsOf(svg);
  for (const b of locate(svg, doc)) {
    const label = texts.find((t) => t.anchor === 'start' && Math.abs(t.y - (b.top + b.thickness / 2)) < 1 && t.x > b.left + b.length && t.x < b.left + b.length + 10);
    expect(label?.content).toBe(labelOf(b.panel, variantOf(b)));
  }
  expect(texts.map((t) => t.content)).toEqual(expect.arrayContaining(['480 MB', '60.0 MB', '61.0 s', '9.00 s', '240 MB (smoke failed)']));
});

test('many scenarios: rows at the README\'s width, taller rather than narrower, every name as text', () => {
  const many = (n: number) =>
    scenarioResults(Object.fromEntries(Array.from({ length: n }, (_, i) => [`scenario-${i}`, [variant('single', { sizeBytes: (i + 2) * 10_000_000, buildMs: 1_000 + i }), variant('multi', { sizeBytes: (i + 1) * 1_000_000, buildMs: 900 })]])));
  const size = (out: string) => out.match(/^<svg width="(\d+)" height="(\d+)"/)!.slice(1).map(Number) as [number, number];
  const [w2, h2] = size(renderChart(many(2)));
  const out20 = renderChart(many(20));
  const [w20, h20] = size(out20);
  expect([w2, w20]).toEqual([880, 880]);
  expect(h20).toBeGreaterThan(h2 * 3);
  const texts = textsOf(out20).map((t) => t.content);
  for (let i = 0; i < 20; i++) expect(texts).toContain(`scenario-${i}`);
  // Bars stay as thick as with two scenarios.
  expect(new Set(barsOf(out20).map((b) => b.thickness))).toEqual(new Set(barsOf(renderChart(many(2))).map((b) => b.thickness)));
});

test('byte-identical output for the same input, also after other charts in the same process', () => {
  renderChart(results([variant('single', { sizeBytes: 1, buildMs: 1 })]));
  expect(renderChart(doc)).toBe(svg);
  // zrender's per-process ids are renamed.
  expect(svg).not.toMatch(/\bzr\d+-/);
  expect(svg).toContain('class="stagebench-cls-');
});

test('scenario names are escaped, so the document stays well-formed', () => {
  const out = renderChart(scenarioResults({ 'a & <b>': [variant('single', { sizeBytes: 1_000_000, buildMs: 1_000 })] }));
  expect(out).toContain('>a &amp; &lt;b&gt;</text>');
  expect(out).not.toContain('<b>');
});

test('docs/chart.svg is what `npm run docs` generates from the committed results', () => {
  const latest = ResultsSchema.parse(JSON.parse(readFileSync(new URL('../../../docs/reference/results.json', import.meta.url), 'utf8')));
  expect(readFileSync(new URL('../../../docs/chart.svg', import.meta.url), 'utf8')).toBe(renderChart(latest));
});
