import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TitleComponent,
  type TitleComponentOption,
} from 'echarts/components';
import { type ComposeOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
// Axis option types are only exported from the full entry; a type import pulls none of its code in.
import type { XAXisComponentOption, YAXisComponentOption } from 'echarts';
import { LESSON_REFERENCE, type Results, type VariantResult } from '../results/schema.js';
import { footnote, statusOf } from './columns.js';
import { referenceOf } from '../results/summarize.js';
import { type ByteUnit, byteUnitFor, formatBytes, formatMs, timeUnitFor } from '../format/units.js';

// Only what this chart draws: no canvas, no DOM, no tooltip or toolbox.
use([BarChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TitleComponentOption | XAXisComponentOption | YAXisComponentOption>;

/** One panel of the chart: which number of a variant it plots, in one unit for its whole axis. */
interface Panel {
  title: string;
  value(v: VariantResult): number | undefined;
  unit: string;
  /** A value in the axis unit. */
  toAxis(value: number): number;
  /** The bar's label, in the axis unit too. */
  label(value: number): string;
}

const BYTE_FACTOR: Record<ByteUnit, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

function bytesPanel(title: string, value: (v: VariantResult) => number | undefined, all: VariantResult[]): Panel {
  const unit = byteUnitFor(all.map(value)) ?? 'MB';
  return { title, value, unit, toAxis: (b) => b / BYTE_FACTOR[unit], label: (b) => formatBytes(b, unit) };
}

/** Size, pull size when the run measured it, build time; each axis in one unit, chosen from its values. */
function panelsFor(results: Results): Panel[] {
  const all = results.scenarios.flatMap((s) => s.variants.filter((v) => v.status === 'ok'));
  const panels = [bytesPanel('Image size', (v) => v.sizeBytes, all)];
  if (all.some((v) => v.compressedBytes !== undefined)) panels.push(bytesPanel('Pull size (gzip)', (v) => v.compressedBytes, all));
  const time = timeUnitFor(all.map((v) => v.buildMs)) ?? 's';
  panels.push({ title: 'Build time', value: (v) => v.buildMs, unit: time, toAxis: (ms) => (time === 's' ? ms / 1000 : ms), label: (ms) => formatMs(ms, time) });
  return panels;
}

// Okabe–Ito, distinguishable with the common colour-vision deficiencies; the references and multi get the first ones.
const PALETTE = ['#D55E00', '#0072B2', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#999999', '#000000'];
const colorOf = (index: number) => PALETTE[index % PALETTE.length] ?? '#999999';

const TEXT = '#333333';
const MUTED = '#666666';
const FAILED = '#B00020';
// Common narrow faces first: without a canvas echarts lays text out from a fixed table of character widths.
const FONT = 'Helvetica, Arial, sans-serif';

// Layout in px: the README's width, whatever the number of scenarios; scenarios are rows, so more of them
// make the chart taller, never narrower bars or smaller text.
const WIDTH = 880;
const MARGIN = 24;
const NAME_WIDTH = 112;
const PANEL_GAP = 40;
const BAR = 13;
const ROW_PADDING = 14;
const PANEL_TOP = 84;
const PANEL_TITLE_TO_GRID = 26;
const AXIS_HEIGHT = 30;
const FOOTER_HEIGHT = 64;
// Room right of the longest bar for its label ("1 min 23 s", "584 MB"), as a share of the axis.
const LABEL_ROOM = 1.3;
// Px per character of the 11 px footnote when wrapping it, generous: fonts such as DejaVu Sans run wide.
const FOOTER_CHAR = 6.2;

/** The references of the scenarios that compare variants (more than one), each once. */
function referencesOf(results: Results): string[] {
  return [...new Set(results.scenarios.filter((s) => s.variants.length > 1).map(referenceOf))];
}

/**
 * Variant ids, each scenario's reference first (single in the lesson's), then multi, then the others in the
 * order they first appear: a bar's colour is its variant's across the scenarios.
 */
function variantOrder(results: Results, references: string[]): string[] {
  const seen = [...new Set(results.scenarios.flatMap((s) => s.variants.map((v) => v.id)))];
  const fixed = [...new Set([...references, 'multi'])].filter((id) => seen.includes(id));
  return [...fixed, ...seen.filter((id) => !fixed.includes(id))];
}

/**
 * The lesson's title when every compared scenario's reference is single; else what the bars are compared with;
 * with nothing compared (one image per scenario, as `init` writes for lone Dockerfiles), no comparison at all.
 */
function chartTitle(references: string[]): string {
  if (references.length === 0) return 'stagebench: one image per scenario';
  if (references.every((r) => r === LESSON_REFERENCE)) return 'stagebench: single vs multi-stage';
  return references.length === 1 ? `stagebench: variants vs ${references[0]}` : 'stagebench: variants vs their reference (per scenario)';
}

type Bar = NonNullable<BarSeriesOption['data']>[number];

/**
 * One bar. A variant the scenario does not have: nothing. One that failed (or lacks this number): no bar, but
 * its row says so in red, so it reads as failed rather than missing or free.
 */
function bar(panel: Panel, v: VariantResult | undefined): Bar {
  if (!v) return null;
  const failed = (text: string): Bar => ({ value: 0, label: { show: true, formatter: text, color: FAILED, fontWeight: 'bold' } });
  if (v.status === 'failed') return failed(statusOf(v));
  const value = panel.value(v);
  if (value === undefined) return failed('not measured');
  const smoke = v.smoke?.status === 'failed' ? ' (smoke failed)' : '';
  return { value: panel.toAxis(value), label: { formatter: `${panel.label(value)}${smoke}`, ...(smoke ? { color: FAILED } : {}) } };
}

/**
 * Bar-chart panels side by side (image size, pull size, build time), one row per scenario holding one bar per
 * variant, one colour per variant, as a standalone SVG document (white background, the README's width) for
 * READMEs and CI artefacts. Text is SVG text: selectable, searchable, read by screen readers.
 */
export function renderChart(results: Results): string {
  const references = referencesOf(results);
  const ids = variantOrder(results, references);
  const panels = panelsFor(results);
  const scenarios = results.scenarios.map((s) => s.name);
  const rowHeight = Math.round(ids.length * BAR * 1.3 + ROW_PADDING);
  const gridHeight = Math.max(1, scenarios.length) * rowHeight;
  const panelWidth = (WIDTH - 2 * MARGIN - NAME_WIDTH - (panels.length - 1) * PANEL_GAP) / panels.length;
  const height = PANEL_TOP + PANEL_TITLE_TO_GRID + gridHeight + AXIS_HEIGHT + FOOTER_HEIGHT;

  const grids: GridComponentOption[] = [];
  const xAxes: XAXisComponentOption[] = [];
  const yAxes: YAXisComponentOption[] = [];
  const titles: TitleComponentOption[] = [
    { text: chartTitle(references), left: MARGIN, top: 16, textStyle: { color: TEXT, fontSize: 18, fontWeight: 'bold', fontFamily: FONT } },
    {
      text: wrapWords(footnote(results), Math.floor((WIDTH - 2 * MARGIN) / FOOTER_CHAR)),
      left: MARGIN,
      bottom: 12,
      textStyle: { color: MUTED, fontSize: 11, fontWeight: 'normal', fontFamily: FONT, lineHeight: 15 },
    },
  ];
  const series: BarSeriesOption[] = [];

  panels.forEach((panel, p) => {
    const left = MARGIN + NAME_WIDTH + p * (panelWidth + PANEL_GAP);
    const top = PANEL_TOP + PANEL_TITLE_TO_GRID;
    titles.push({ text: `${panel.title} (${panel.unit})`, left, top: PANEL_TOP, textStyle: { color: TEXT, fontSize: 13, fontWeight: 'bold', fontFamily: FONT } });
    grids.push({ left, width: panelWidth, top, height: gridHeight });
    const values = results.scenarios.flatMap((s) => s.variants.filter((v) => v.status === 'ok').map((v) => panel.value(v) ?? 0)).map(panel.toAxis);
    const { max, interval } = axisScale(Math.max(0, ...values) * LABEL_ROOM);
    yAxes.push({
      type: 'category',
      gridIndex: p,
      data: scenarios,
      inverse: true,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: MUTED } },
      // Scenario names once, left of the first panel; the others share its rows.
      axisLabel: { show: p === 0, interval: 0, color: TEXT, fontSize: 12, fontFamily: FONT, width: NAME_WIDTH - 10, overflow: 'truncate' },
    });
    xAxes.push({
      type: 'value',
      gridIndex: p,
      min: 0,
      max,
      interval,
      axisLabel: { color: MUTED, fontSize: 11, fontFamily: FONT, hideOverlap: true, formatter: (v: number) => String(v) },
      splitLine: { lineStyle: { color: '#e6e6e6' } },
    });
    ids.forEach((id, i) => {
      series.push({
        type: 'bar',
        name: id,
        xAxisIndex: p,
        yAxisIndex: p,
        data: results.scenarios.map((s) => bar(panel, s.variants.find((v) => v.id === id))),
        itemStyle: { color: colorOf(i) },
        barWidth: BAR,
        barGap: '30%',
        emphasis: { disabled: true },
        label: { show: true, position: 'right', distance: 4, color: TEXT, fontSize: 11, fontFamily: FONT },
      });
    });
  });

  const option: Option = {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT },
    title: titles,
    legend: {
      data: ids.map((id, i) => ({ name: id, itemStyle: { color: colorOf(i) } })),
      left: MARGIN,
      top: 48,
      icon: 'rect',
      itemGap: 20,
      itemWidth: 14,
      itemHeight: 14,
      selectedMode: false,
      textStyle: { color: TEXT, fontSize: 12, fontFamily: FONT },
    },
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    series,
  };

  const chart = init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height });
  try {
    chart.setOption(option);
    return normalizeIds(chart.renderToSVGString());
  } finally {
    // Also stops zrender's animation loop, which would otherwise keep the process alive.
    chart.dispose();
  }
}

/**
 * The shortest axis that reaches `top` in two to four round steps (1, 2, 2.5 or 5 × 10^n): room for the bar
 * labels without wasting the panel, and tick labels that do not crowd a third of the README's width.
 */
function axisScale(top: number): { max: number; interval: number } {
  if (top <= 0) return { max: 1, interval: 1 };
  const magnitude = 10 ** Math.floor(Math.log10(top));
  const steps = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5].map((m) => m * magnitude);
  const fits = steps.map((interval) => ({ interval, max: interval * Math.max(2, Math.ceil(top / interval - 1e-9)) })).filter((s) => s.max / s.interval <= 4);
  return fits.reduce((best, s) => (s.max < best.max ? s : best));
}

/** Breaks text into lines of at most maxChars at spaces (echarts' own wrapping starts lines with the space). */
function wrapWords(text: string, maxChars: number): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && `${lines[last]} ${word}`.length <= maxChars) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

/**
 * zrender names CSS classes, clip paths and gradients after process-wide counters (zr0-cls-1, then zr1-cls-3 on the
 * next chart): renumber them in order of appearance so the same results always give byte-identical SVG.
 */
function normalizeIds(svg: string): string {
  const renamed = new Map<string, string>();
  return svg.replace(/\bzr\d+-(cls-|[cgp])\d+\b/g, (id, kind: string) => {
    let name = renamed.get(id);
    if (!name) {
      name = `stagebench-${kind}${renamed.size}`;
      renamed.set(id, name);
    }
    return name;
  });
}
