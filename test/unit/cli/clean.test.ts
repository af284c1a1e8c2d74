import type { Labelled } from '../../../harness/engine/engine.js';
import { runsToClean } from '../../../harness/cli/clean.js';

const image = (run?: string): Labelled => ({ kind: 'image', id: `sha256:${run}`, labels: { 'org.stagebench': 'true', ...(run ? { 'org.stagebench.run': run } : {}) } });
// Run ids end in the pid of the process that made them; pid 200 is alive.
const items = [image('aa-100'), image('bb-200'), image('bb-200'), image('cc'), image()];
const alive = (pid: number) => pid === 200;

test.each([
  ['by default: every run whose process is gone; one in flight stays', { runIds: [], all: false }, { remove: ['aa-100', 'cc'], kept: ['bb-200'] }],
  ['named runs, in flight or not', { runIds: ['bb-200'], all: false }, { remove: ['bb-200'], kept: [] }],
  ['--all: every run', { runIds: [], all: true }, { remove: ['aa-100', 'bb-200', 'cc'], kept: [] }],
])('%s', (_name, args, expected) => {
  expect(runsToClean(items, args, alive)).toEqual(expected);
});
