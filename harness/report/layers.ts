import type { Results, VariantResult } from '../results/schema.js';
import { formatEfficiency } from './columns.js';
import type { Column } from './columns.js';
import { type TerminalOptions, terminalTable } from './terminal.js';
import { wrap } from './wrap.js';
import { formatBytes } from '../format/units.js';

const WASTED_SHOWN = 10;

/** Wasted bytes (dive's efficiency) and the largest hidden file versions, each with the layer holding it. */
type Wasted = NonNullable<VariantResult['wastedPaths']>[number];
const WASTED_COLUMNS: Column<Wasted>[] = [
  { header: 'Wasted', align: 'right', value: (p) => formatBytes(p.bytes) },
  { header: 'Layer', align: 'right', value: (p) => String(p.layer + 1) },
  { header: 'Path', align: 'left', value: (p) => p.path, shrink: true },
];

type Layer = NonNullable<VariantResult['layers']>[number];
const LAYER_COLUMNS: Column<Layer>[] = [
  { header: 'Size', align: 'right', value: (l) => formatBytes(l.sizeBytes) },
  { header: 'From', align: 'left', value: (l) => (l.fromBase ? 'base' : 'this Dockerfile') },
  {
    header: 'Created by',
    align: 'left',
    value: (l) => l.createdBy.replace(/^\/bin\/sh -c (#\(nop\) )?/, '').replace(/\s+/g, ' ').trim() || '(no instruction recorded, e.g. docker import)',
    shrink: true,
  },
];

function waste(v: VariantResult, options: TerminalOptions): string {
  if (v.wastedBytes === undefined) return '';
  const head = `wasted: ${formatBytes(v.wastedBytes)} in files a later layer overwrites or deletes (${formatEfficiency(v.efficiency ?? 1)})`;
  const paths = v.wastedPaths ?? [];
  if (paths.length === 0) return `\n${wrap(head, options.width)}`;
  return `\n${wrap(`${head}; largest (layer: its place in the image, 1 = bottom):`, options.width)}\n${terminalTable(WASTED_COLUMNS, paths.slice(0, WASTED_SHOWN), options)}`;
}

/** Per-variant layer breakdown (largest first), for `stagebench layers`. */
export function renderLayers(results: Results, only: string[], options: TerminalOptions): string {
  const blocks: string[] = [];
  for (const s of results.scenarios) {
    if (only.length > 0 && !only.includes(s.name)) continue;
    for (const v of s.variants) {
      if (!v.layers) continue;
      const own = v.addedBytes === undefined ? '' : `, ${formatBytes(v.addedBytes)} on top of its FROM image (${formatBytes(v.baseBytes ?? 0)})`;
      const disk = v.uniqueBytes === undefined ? '' : `; unique ${formatBytes(v.uniqueBytes)}, shared ${formatBytes(v.sharedBytes ?? 0)}`;
      blocks.push(`${wrap(`${s.name} › ${v.id}: ${formatBytes(v.sizeBytes ?? 0)}${own}${disk}`, options.width)}\n${terminalTable(LAYER_COLUMNS, v.layers, options)}${waste(v, options)}`);
    }
  }
  return blocks.length > 0 ? `${blocks.join('\n\n')}\n` : 'no layer breakdown in these results (they come from a run of this version of stagebench)\n';
}
