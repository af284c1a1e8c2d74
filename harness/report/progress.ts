import type { Progress } from '../progress.js';

export interface TextSink {
  write(text: string): unknown;
}

/**
 * Progress on stderr. `live`: one status line redrawn in place with the elapsed time (a TTY, colour allowed,
 * not JSON mode). Otherwise plain lines, one per variant and per step, nothing redrawn.
 */
export function createProgress(out: TextSink, live: boolean): Progress & { stop(): void } {
  let label = '';
  let step = '';
  let startedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
  const redraw = () => out.write(`\r\u001b[K${label}: ${step} (${elapsed()})`.slice(0, 200));
  const clear = () => live && out.write('\r\u001b[K');

  return {
    variant(scenario, variant, index, total) {
      label = `[${index}/${total}] ${scenario} › ${variant}`;
      step = 'packing context';
      startedAt = Date.now();
      if (live) {
        timer ??= setInterval(redraw, 500);
        redraw();
      } else out.write(`${label}\n`);
    },
    step(name) {
      step = name.replace(/\s+/g, ' ');
      if (live) redraw();
      else out.write(`    ${step} (+${elapsed()})\n`);
    },
    line(text) {
      clear();
      out.write(`${text}\n`);
      if (live && timer) redraw();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      clear();
    },
  };
}
