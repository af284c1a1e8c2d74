import type { Progress } from '../progress.js';
import { wrap } from './wrap.js';

export interface TextSink {
  write(text: string): unknown;
}

/**
 * Progress on stderr. `live`: one status line redrawn in place with the elapsed time (a terminal, not JSON
 * mode), cut to one column less than the terminal's width (asked on every redraw: terminals get resized), so it
 * never wraps, which would leave a pile of half-lines behind; lines that stay (a variant's result, the engine)
 * wrap between words at that width. Otherwise plain lines, one per variant and per step, nothing redrawn.
 */
/** `text` in at most `width` characters, the end replaced by … when cut. */
export const fit = (text: string, width: number) => {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
};

export function createProgress(out: TextSink, live: boolean, columns: () => number = () => 80): Progress & { stop(): void } {
  let label = '';
  let step = '';
  let startedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  // Before any variant started there is no clock to count from (never from 0, the epoch).
  const elapsed = () => (startedAt === 0 ? '0.0 s' : `${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  const redraw = () => out.write(`\r\u001b[K${fit(`${label} (${elapsed()}): ${step}`, columns() - 1)}`);
  const clear = () => live && out.write('\r\u001b[K');

  const start = (what: string, first: string) => {
    label = what;
    step = first;
    startedAt = Date.now();
    if (live) {
      timer ??= setInterval(redraw, 500);
      redraw();
    } else out.write(`${label}\n`);
  };

  return {
    variant(scenario, variant, index, total) {
      start(`[${index}/${total}] ${scenario} › ${variant}`, 'packing context');
    },
    // Its own heading: the steps that follow are this variant's, not the last one built.
    measuring(scenario, variant) {
      start(`${scenario} › ${variant}`, 'measuring');
    },
    step(name) {
      step = name.replace(/\s+/g, ' ');
      if (live) redraw();
      else out.write(`    ${step} (+${elapsed()})\n`);
    },
    line(text) {
      clear();
      // On a terminal, between words at its width (a failure's message is long), later lines indented.
      out.write(`${live ? wrap(text, columns(), '    ') : text}\n`);
      if (live && timer) redraw();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      clear();
    },
  };
}
