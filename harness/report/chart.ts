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
import type { Results, VariantResult } from '../results/schema.js';
import { footnote } from './columns.js';
import { formatBytes, formatMs } from '../format/units.js';

// Only what this chart draws: no canvas, no DOM, no tooltip or toolbox.
use([BarChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TitleComponentOption | XAXisComponentOption | YAXisComponentOption>;

/** One panel of the chart: which number of a variant it plots, in axis units, and how the tables print it. */
interface Panel {
  title: string;
  value(v: VariantResult): number | undefined;
  axisUnit: string;
  toAxis(value: number): number;
  label(value: number): string;
}

const PANELS: Panel[] = [
  { title: 'Image size (uncompressed)', value: (v) => v.sizeBytes, axisUnit: 'MB', toAxis: (b) => b / 1e6, label: formatBytes },
  { title: 'Build time', value: (v) => v.buildMs, axisUnit: 's', toAxis: (ms) => ms / 1000, label: formatMs },
];

// Okabe–Ito, distinguishable with the common colour-vision deficiencies; single and multi always get the first two.
const PALETTE = ['#D55E00', '#0072B2', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#999999', '#000000'];
const colorOf = (index: number) => PALETTE[index % PALETTE.length] ?? '#999999';

const TEXT = '#333333';
const MUTED = '#666666';
// Common narrow faces first: without a canvas echarts lays text out from a fixed table of character widths.
const FONT = 'Helvetica, Arial, sans-serif';

// Layout in px. Each bar slot is wide enough for a label such as "1 min 23 s" above it.
const MARGIN = 24;
const AXIS_LABEL_WIDTH = 72;
const SLOT = 76;
const MIN_WIDTH = 760;
const PANEL_TOP = 84;
const PANEL_TITLE_TO_GRID = 36;
const GRID_HEIGHT = 220;
const PANEL_HEIGHT = PANEL_TITLE_TO_GRID + GRID_HEIGHT + 44;
const FOOTER_HEIGHT = 64;
// Px per character of the 11 px footnote when wrapping it, generous: fonts such as DejaVu Sans run wide.
const FOOTER_CHAR = 6.2;

/** Variant ids, single first, then multi, then the others in the order they first appear. */
function variantOrder(results: Results): string[] {
  const seen = [...new Set(results.scenarios.flatMap((s) => s.variants.map((v) => v.id)))];
  const fixed = ['single', 'multi'].filter((id) => seen.includes(id));
  return [...fixed, ...seen.filter((id) => !fixed.includes(id))];
}

/** The value of one bar, or null for no bar: a failed build has no number, and zero would read as "free". */
function barValue(panel: Panel, v: VariantResult | undefined): number | null {
  if (!v || v.status !== 'ok') return null;
  return panel.value(v) ?? null;
}

/**
 * Two bar-chart panels, image size above build time, one bar group per scenario and one colour per variant,
 * as a standalone SVG document (white background, fixed size) for READMEs and CI artefacts.
 */
export function renderChart(results: Results): string {
  const ids = variantOrder(results);
  const scenarios = results.scenarios.map((s) => s.name);
  const plotWidth = Math.max(MIN_WIDTH - 2 * MARGIN - AXIS_LABEL_WIDTH, scenarios.length * (ids.length * SLOT + 2 * MARGIN));
  const width = plotWidth + 2 * MARGIN + AXIS_LABEL_WIDTH;
  const height = PANEL_TOP + PANELS.length * PANEL_HEIGHT + FOOTER_HEIGHT;
  const categoryWidth = plotWidth / Math.max(1, scenarios.length);

  const grids: GridComponentOption[] = [];
  const xAxes: XAXisComponentOption[] = [];
  const yAxes: YAXisComponentOption[] = [];
  const titles: TitleComponentOption[] = [
    { text: 'stagebench: single vs multi-stage', left: MARGIN, top: 16, textStyle: { color: TEXT, fontSize: 18, fontWeight: 'bold', fontFamily: FONT } },
    {
      text: wrapWords(footnote(results), Math.floor((width - 2 * MARGIN) / FOOTER_CHAR)),
      left: MARGIN,
      bottom: 12,
      textStyle: { color: MUTED, fontSize: 11, fontWeight: 'normal', fontFamily: FONT, lineHeight: 15 },
    },
  ];
  const series: BarSeriesOption[] = [];

  PANELS.forEach((panel, p) => {
    const top = PANEL_TOP + p * PANEL_HEIGHT;
    titles.push({ text: panel.title, left: MARGIN, top, textStyle: { color: TEXT, fontSize: 14, fontWeight: 'bold', fontFamily: FONT } });
    grids.push({ left: MARGIN + AXIS_LABEL_WIDTH, width: plotWidth, top: top + PANEL_TITLE_TO_GRID, height: GRID_HEIGHT });
    xAxes.push({
      type: 'category',
      gridIndex: p,
      data: scenarios,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: MUTED } },
      axisLabel: { interval: 0, color: TEXT, fontSize: 12, fontFamily: FONT, width: categoryWidth - 8, overflow: 'break' },
    });
    yAxes.push({
      type: 'value',
      gridIndex: p,
      axisLabel: { color: MUTED, fontSize: 11, fontFamily: FONT, formatter: (v: number) => `${v} ${panel.axisUnit}` },
      splitLine: { lineStyle: { color: '#e6e6e6' } },
    });
    ids.forEach((id, i) => {
      const values = results.scenarios.map((s) => barValue(panel, s.variants.find((v) => v.id === id)));
      series.push({
        type: 'bar',
        name: id,
        xAxisIndex: p,
        yAxisIndex: p,
        data: values.map((v) => (v === null ? null : panel.toAxis(v))),
        itemStyle: { color: colorOf(i) },
        barGap: '15%',
        barCategoryGap: '25%',
        barMaxWidth: 72,
        emphasis: { disabled: true },
        label: {
          show: true,
          position: 'top',
          color: TEXT,
          fontSize: 11,
          fontFamily: FONT,
          // The exact string the tables print, not the rounded axis value.
          formatter: ({ dataIndex }) => {
            const v = values[dataIndex];
            return v === null || v === undefined ? '' : panel.label(v);
          },
        },
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

  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return normalizeIds(chart.renderToSVGString());
  } finally {
    // Also stops zrender's animation loop, which would otherwise keep the process alive.
    chart.dispose();
  }
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
