import { errorText, errorWidth } from '../../../harness/cli/error-text.js';
import { wrap } from '../../../harness/report/wrap.js';

test('without a width (stderr is no terminal) each line of the message and the fix stays whole', () => {
  const message = `--scenarios nope: no such folder ${'x '.repeat(50)}end`;
  expect(errorText(message, 'pass the folder', undefined)).toBe(`stagebench: ${message}\n  fix: pass the folder\n`);
  expect(errorText('no hint here', undefined, undefined)).toBe('stagebench: no hint here\n');
});

test('at a width, the message continues under it, a listed problem under its text, the fix under what follows "fix:"', () => {
  const message = 'config file stagebench.config.json has 2 problems:\n  - gate.scenarios.node-app/multi.maxSize: "huge" is not a size such as "150 MB"\n  - profils: unknown';
  expect(errorText(message, 'fix the listed fields; the README documents the config file', 40)).toBe(
    [
      'stagebench: config file',
      '  stagebench.config.json has 2 problems:',
      '  - gate.scenarios.node-app/multi.maxSize:',
      '    "huge" is not a size such as',
      '    "150 MB"',
      '  - profils: unknown',
      '  fix: fix the listed fields; the README',
      '       documents the config file',
      '',
    ].join('\n'),
  );
});

test('a path or a command in backticks is not split; one wider than the line stands alone, or breaks between its words', () => {
  expect(errorText('no /a/very/long/path/that/cannot/be/split/anywhere/at/all here', 'run `stagebench run --no-cache` again', 36)).toBe(
    ['stagebench: no', '  /a/very/long/path/that/cannot/be/split/anywhere/at/all', '  here', '  fix: run', '       `stagebench run --no-cache`', '       again', ''].join('\n'),
  );
  // Wider than the room after the indent: it breaks between its words rather than running past the width.
  expect(wrap('fix: run `stagebench run --scenario api-api --no-cache --runs 5` again', 30, '     ', true)).toBe(
    ['fix: run `stagebench run', '     --scenario api-api', '     --no-cache --runs 5`', '     again'].join('\n'),
  );
  // Without `code`, as the tables and progress lines wrap, backticks are ordinary characters.
  expect(wrap('run `stagebench run --no-cache` again', 24)).toBe('run `stagebench run\n--no-cache` again');
});

test('the width is the terminal\'s: none for a pipe or a terminal that does not say', () => {
  expect(errorWidth({ isTTY: true, columns: 80 })).toBe(80);
  expect(errorWidth({ isTTY: false, columns: 80 })).toBeUndefined();
  expect(errorWidth({ isTTY: true })).toBeUndefined();
  expect(errorWidth({})).toBeUndefined();
});
