import Table from 'cli-table3';
import type { Results, VariantResult } from '../results/schema.js';
import { formatEfficiency } from './columns.js';
import { tableStyle } from './terminal.js';
import { formatBytes } from '../format/units.js';

const MAX_INSTRUCTION = 90;

const WASTED_SHOWN = 10;

/** Wasted bytes (dive's efficiency) and the largest hidden file versions, each with the layer holding it. */
function waste(v: VariantResult, color: boolean): string {
  if (v.wastedBytes === undefined) return '';
  const head = `\nwasted: ${formatBytes(v.wastedBytes)} in files a later layer overwrites or deletes (${formatEfficiency(v.efficiency ?? 1)})`;
  const paths = v.wastedPaths ?? [];
  if (paths.length === 0) return head;
  const table = new Table({ head: ['Wasted', 'Layer', 'Path'], colAligns: ['right', 'right', 'left'], style: tableStyle(color) });
  for (const p of paths.slice(0, WASTED_SHOWN)) table.push([formatBytes(p.bytes), String(p.layer + 1), p.path]);
  return `${head}; largest (layer: its place in the image, 1 = bottom):\n${table.toString()}`;
}

/** Per-variant layer breakdown (largest first), for `stagebench layers`. */
export function renderLayers(results: Results, only: string[], options: { color: boolean }): string {
  const blocks: string[] = [];
  for (const s of results.scenarios) {
    if (only.length > 0 && !only.includes(s.name)) continue;
    for (const v of s.variants) {
      if (!v.layers) continue;
      const table = new Table({
        head: ['Size', 'From', 'Created by'],
        colAligns: ['right', 'left', 'left'],
        style: tableStyle(options.color),
      });
      for (const l of v.layers) {
        const instruction = l.createdBy.replace(/^\/bin\/sh -c (#\(nop\) )?/, '').replace(/\s+/g, ' ').trim() || '(no instruction recorded, e.g. docker import)';
        table.push([formatBytes(l.sizeBytes), l.fromBase ? 'base' : 'this Dockerfile', instruction.length > MAX_INSTRUCTION ? `${instruction.slice(0, MAX_INSTRUCTION)}…` : instruction]);
      }
      const own = v.addedBytes === undefined ? '' : `, ${formatBytes(v.addedBytes)} on top of its FROM image (${formatBytes(v.baseBytes ?? 0)})`;
      const disk = v.uniqueBytes === undefined ? '' : `; unique ${formatBytes(v.uniqueBytes)}, shared ${formatBytes(v.sharedBytes ?? 0)}`;
      blocks.push(`${s.name} › ${v.id}: ${formatBytes(v.sizeBytes ?? 0)}${own}${disk}\n${table.toString()}${waste(v, options.color)}`);
    }
  }
  return blocks.length > 0 ? `${blocks.join('\n\n')}\n` : 'no layer breakdown in these results (they come from a run of this version of stagebench)\n';
}
