import Table from 'cli-table3';
import type { Results } from '../results/schema.js';
import { tableStyle } from './terminal.js';
import { formatMs } from '../format/units.js';

/** Per-variant build steps in order, with their time and cache hit, for `stagebench steps`. */
export function renderSteps(results: Results, only: string[], options: { color: boolean }): string {
  const clock = results.builder === 'classic' ? 'client clock, Step line to Step line' : 'BuildKit vertex times';
  const blocks: string[] = [];
  for (const s of results.scenarios) {
    if (only.length > 0 && !only.includes(s.name)) continue;
    for (const v of s.variants) {
      if (!v.steps || v.steps.length === 0) continue;
      const table = new Table({
        head: ['Step', 'Time', 'Cache'],
        colAligns: ['left', 'right', 'left'],
        colWidths: [80, 12, 8],
        wordWrap: false,
        style: tableStyle(options.color),
      });
      for (const step of v.steps) table.push([step.name.replace(/\s+/g, ' '), step.ms === undefined ? '—' : formatMs(step.ms), step.cached ? 'hit' : '']);
      const runs = v.buildStats ? `, step times are medians of ${v.buildStats.n} builds` : '';
      blocks.push(`${s.name} › ${v.id} (${results.builder}, ${clock}${runs}); whole build ${v.buildMs === undefined ? '—' : formatMs(v.buildMs)}\n${table.toString()}`);
    }
  }
  return blocks.length > 0 ? `${blocks.join('\n\n')}\n` : 'no build steps in these results\n';
}
