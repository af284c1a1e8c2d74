import type { Results } from '../results/schema.js';
import { wrap } from './wrap.js';

/**
 * Plain-text details of failed builds and smoke checks: step, exit code and the log tail. Empty when none.
 * `width`: the prose (heading, message) wraps between words at it; the log lines are the program's own, as printed.
 */
export function failureDetails(results: Results, indent = '    ', width?: number): string {
  const blocks: string[] = [];
  for (const s of results.scenarios) {
    for (const v of s.variants) {
      if (v.error) {
        const exit = v.error.exitCode !== undefined ? ` (exit code ${v.error.exitCode})` : '';
        const message = v.error.message.split('\n').map((l) => wrap(`${indent}${l}`, width, indent));
        // Stopped before it was measured (Ctrl-C, the engine gone) is not a failure of the image: the message says why.
        const what = v.notMeasured ? 'was not measured' : `failed${v.error.step ? ` at ${v.error.step}` : ''}${exit}`;
        const head = `${wrap(`${s.name} › ${v.id} ${what}:`, width, indent)}\n${message.join('\n')}`;
        const tail = v.error.logTail.length > 0 ? `\n${indent}last output:\n${v.error.logTail.map((l) => `${indent}  ${l}`).join('\n')}` : '';
        blocks.push(head + tail);
      } else if (v.smoke?.status === 'failed') {
        const tail = v.smoke.logTail?.length ? `\n${indent}container output:\n${v.smoke.logTail.map((l) => `${indent}  ${l}`).join('\n')}` : '';
        blocks.push(`${wrap(`${s.name} › ${v.id} built but its smoke check failed (${v.smoke.check}): ${v.smoke.reason}`, width, indent)}${tail}`);
      }
    }
  }
  return blocks.join('\n\n');
}
