import { readFileSync } from 'node:fs';

// offline/setup.sh prints each line after a 16-column "[setup  12.3s] " prefix; what it says is read in an
// 80-column terminal, and its closing line is what a new user types next.
const script = readFileSync(new URL('../../../offline/setup.sh', import.meta.url), 'utf8');
/** As log() prints it: printf '[setup %6ss] ' of the seconds, e.g. 123.4. */
const PREFIX = '[setup  123.4s] ';
/** The text of every `log "…"` whose words are all literal (no $ expansion). */
const literalLogs = [...script.matchAll(/^\s*log "([^"$]*)"$/gm)].map((m) => m[1]!);

test('the closing line names npm ci before the bench: a fresh clone has no tsc without it', () => {
  const last = [...script.matchAll(/^\s*log "(.*)"$/gm)].at(-1)![1];
  expect(last).toBe('ready; next: npm ci && npm run bench -- --profile offline');
});

test('every literal line fits 80 columns with its prefix', () => {
  expect(literalLogs.length).toBeGreaterThan(5);
  expect(literalLogs.filter((l) => PREFIX.length + l.length > 80)).toEqual([]);
});
