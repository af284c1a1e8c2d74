import type { Results } from '../results/schema.js';
import type { Column } from './columns.js';
import { type TerminalOptions, terminalTable } from './terminal.js';
import { wrap } from './wrap.js';
import { formatMs } from '../format/units.js';

type Step = NonNullable<Results['scenarios'][number]['variants'][number]['steps']>[number];
const STEP_COLUMNS: Column<Step>[] = [
  { header: 'Step', align: 'left', value: (s) => s.name.replace(/\s+/g, ' '), shrink: true },
  { header: 'Time', align: 'right', value: (s) => (s.ms === undefined ? '—' : formatMs(s.ms)) },
  { header: 'Cache', align: 'left', value: (s) => (s.cached ? 'hit' : '') },
];

/** Per-variant build steps in order, with their time and cache hit, for `stagebench steps`. */
export function renderSteps(results: Results, only: string[], options: TerminalOptions): string {
  const clock = results.builder === 'classic' ? 'client clock, Step line to Step line' : 'BuildKit vertex times';
  const blocks: string[] = [];
  for (const s of results.scenarios) {
    if (only.length > 0 && !only.includes(s.name)) continue;
    for (const v of s.variants) {
      if (!v.steps || v.steps.length === 0) continue;
      const runs = v.buildStats ? `, step times are medians of ${v.buildStats.n} builds` : '';
      blocks.push(`${wrap(`${s.name} › ${v.id} (${results.builder}, ${clock}${runs}); whole build ${v.buildMs === undefined ? '—' : formatMs(v.buildMs)}`, options.width)}\n${terminalTable(STEP_COLUMNS, v.steps, options)}`);
    }
  }
  return blocks.length > 0 ? `${blocks.join('\n\n')}\n` : 'no build steps in these results\n';
}
