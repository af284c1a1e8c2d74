import { readFileSync } from 'node:fs';
import { renderChart } from '../../../harness/report/chart.js';
import { footnote } from '../../../harness/report/columns.js';
import { formatBytes, formatMs } from '../../../harness/format/units.js';
import { type Results, ResultsSchema, type VariantResult } from '../../../harness/results/schema.js';
import { results, scenarioResults, variant } from '../results-fixture.js';

// Variants listed out of order on purpose, so the legend order is the renderer's; size and time ratios differ so a
// panel drawn from the wrong number fails; every bar is tall enough (> 20 px) for a 1 % height check.
const doc = scenarioResults({
  'go-app': [
    variant('scratch', { sizeBytes: 60_000_000, buildMs: 61_000 }),
    variant('multi', { sizeBytes: 120_000_000, buildMs: 45_600 }),
    variant('single', { sizeBytes: 480_000_000, buildMs: 12_300 }),
  ],
  'node-app': [
    variant('single', { sizeBytes: 360_000_000, buildMs: 9_000 }),
    variant('prod', { sizeBytes: 240_000_000, buildMs: 15_500 }),
    variant('multi', { status: 'failed', error: { message: 'exit code: 1', exitCode: 1, logTail: [] } }),
  ],
});

interface Bar {
  x: number;
  bottom: number;
  width: number;
  height: number;
  fill: string;
}

interface Text {
  x: number;
  y: number;
  anchor: string;
  content: string;
}

const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
const translate = (a: Record<string, string>) => (a.transform?.match(/translate\(([-\d.]+) ([-\d.]+)\)/)?.slice(1).map(Number) ?? [0, 0]) as [number, number];
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** The bars echarts drew: rectangles "M x bottom l w 0 l 0 -h l -w 0 Z" tagged as chart elements. */
function barsOf(svg: string): Bar[] {
  return [...svg.matchAll(/<path [^>]*ecmeta_ssr_type="chart"[^>]*>/g)].map(([tag]) => {
    const a = attrs(tag);
    const m = a.d?.match(/^M([-\d.]+) ([-\d.]+)l([\d.]+) 0l0 -([\d.]+)l-[\d.]+ 0Z$/);
    if (!m || !a.fill) throw new Error(`not a bar: ${tag}`);
    return { x: Number(m[1]), bottom: Number(m[2]), width: Number(m[3]), height: Number(m[4]), fill: a.fill };
  });
}

function textsOf(svg: string): Text[] {
  return [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].map(([, tag = '', content = '']) => {
    const a = attrs(tag);
    const [tx, ty] = translate(a);
    return { x: tx + Number(a.x ?? 0), y: ty + Number(a.y ?? 0), anchor: a['text-anchor'] ?? 'start', content: unescape(content) };
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

interface Located extends Bar {
  panel: 'size' | 'time';
  scenario: string;
  variant: string;
}

/** Each bar placed the way a reader does: panel by position, scenario by the nearest axis label, variant by colour. */
function locate(svg: string, r: Results): Located[] {
  const bars = barsOf(svg);
  const bottoms = [...new Set(bars.map((b) => b.bottom))].sort((a, b) => a - b);
  expect(bottoms).toHaveLength(2);
  const names = new Set(r.scenarios.map((s) => s.name));
  const axisLabels = textsOf(svg).filter((t) => t.anchor === 'middle' && names.has(t.content));
  const byFill = new Map(legendOf(svg).map((l) => [l.fill, l.id]));
  return bars.map((b) => {
    const centre = b.x + b.width / 2;
    const nearest = [...axisLabels].sort((p, q) => Math.abs(p.x - centre) - Math.abs(q.x - centre))[0];
    return { ...b, panel: b.bottom === bottoms[0] ? 'size' : 'time', scenario: nearest?.content ?? '?', variant: byFill.get(b.fill) ?? '?' };
  });
}

const ok = (r: Results) => r.scenarios.flatMap((s) => s.variants.filter((v) => v.status === 'ok').map((v) => ({ scenario: s.name, v })));
/** The variant of doc a located bar stands for. */
const variantOf = (b: Located) => doc.scenarios.find((s) => s.name === b.scenario)?.variants.find((v) => v.id === b.variant) as VariantResult;
const valueOf = (panel: 'size' | 'time', v: VariantResult) => (panel === 'size' ? v.sizeBytes : v.buildMs) as number;
const labelOf = (panel: 'size' | 'time', v: VariantResult) => (panel === 'size' ? formatBytes(v.sizeBytes as number) : formatMs(v.buildMs as number));

const svg = renderChart(doc);

test('a standalone SVG document with a white background, a title and the engine facts', () => {
  expect(svg).toMatch(/^<svg width="\d+" height="\d+" xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*viewBox="0 0 \d+ \d+">\n<rect width="\d+" height="\d+" x="0" y="0" fill="#ffffff"><\/rect>\n/);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  const texts = textsOf(svg).map((t) => t.content);
  expect(texts).toContain('stagebench: single vs multi-stage');
  // The footnote the tables print, wrapped over lines that follow each other.
  expect(texts.join(' ')).toContain(footnote(doc));
  expect(svg).not.toMatch(/@keyframes|<animate/);
});

test('legend: single, multi, then the other variants in order of appearance, one colour each', () => {
  const legend = legendOf(svg);
  expect(legend.map((l) => l.id)).toEqual(['single', 'multi', 'scratch', 'prod']);
  expect(new Set(legend.map((l) => l.fill)).size).toBe(4);
});

test('one bar per successful variant and panel, in its scenario, with its variant colour', () => {
  const placed = locate(svg, doc).map((b) => `${b.panel} ${b.scenario} ${b.variant}`).sort();
  const expected = ok(doc).flatMap(({ scenario, v }) => [`size ${scenario} ${v.id}`, `time ${scenario} ${v.id}`]).sort();
  expect(placed).toEqual(expected);
  // The failed multi of node-app has no bar, not a zero one.
  expect(placed).not.toContain('size node-app multi');
});

test('bars within a scenario are in legend order, scenarios in results order', () => {
  const bars = locate(svg, doc).filter((b) => b.panel === 'size');
  const order = (scenario: string) => bars.filter((b) => b.scenario === scenario).sort((a, b) => a.x - b.x).map((b) => b.variant);
  expect(order('go-app')).toEqual(['single', 'multi', 'scratch']);
  expect(order('node-app')).toEqual(['single', 'prod']);
  const axis = textsOf(svg).filter((t) => t.content === 'go-app' || t.content === 'node-app').slice(0, 2);
  expect(axis.sort((a, b) => a.x - b.x).map((t) => t.content)).toEqual(['go-app', 'node-app']);
});

test('bar heights are proportional to the values, within 1 %', () => {
  for (const panel of ['size', 'time'] as const) {
    const bars = locate(svg, doc).filter((b) => b.panel === panel);
    const value = (b: Located) => valueOf(panel, variantOf(b));
    const tallest = bars.reduce((a, b) => (b.height > a.height ? b : a));
    for (const b of bars) {
      expect(b.height).toBeGreaterThan(20);
      expect(Math.abs(b.height / tallest.height / (value(b) / value(tallest)) - 1)).toBeLessThan(0.01);
    }
  }
});

test('every bar carries the label the tables print, centred just above it; nothing else is labelled', () => {
  const texts = textsOf(svg);
  const located = locate(svg, doc);
  for (const b of located) {
    const top = b.bottom - b.height;
    const label = texts.find((t) => Math.abs(t.x - (b.x + b.width / 2)) < 1 && t.y < top && t.y > top - 20);
    expect(label?.content).toBe(labelOf(b.panel, variantOf(b)));
  }
  // Bar labels are the centred texts that are not scenario names: exactly one per bar, so none for the failed build.
  const barLabels = texts.filter((t) => t.anchor === 'middle' && !['go-app', 'node-app'].includes(t.content)).map((t) => t.content);
  expect(barLabels.sort()).toEqual(located.map((b) => labelOf(b.panel, variantOf(b))).sort());
  expect(barLabels).toEqual(expect.arrayContaining(['480 MB', '60.0 MB', '1 min 1 s', '9.00 s']));
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
