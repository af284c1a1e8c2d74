import { checkContains } from '../../../harness/measure/contains.js';
import { fakeEngine } from '../cli/fake-engine.js';

test('a check is present when any one of its paths is; each path asked once; the labels go to the engine', async () => {
  const engine = fakeEngine({ present: ['/bin/busybox', '/usr/lib/node'] });
  const asked: string[][] = [];
  const spy = { ...engine, pathsPresent: (image: string, paths: string[], labels: Record<string, string>) => (asked.push(paths), expect(labels).toEqual({ l: '1' }), engine.pathsPresent(image, paths, labels)) };
  const checks = { shell: ['/bin/sh', '/bin/busybox'], toolchain: ['/usr/local/go'], node: ['/usr/lib/node', '/bin/sh'] };
  expect(await checkContains(spy, 'sha256:x', checks, { l: '1' })).toEqual({
    shell: { present: true, paths: ['/bin/busybox'] },
    toolchain: { present: false, paths: [] },
    node: { present: true, paths: ['/usr/lib/node'] },
  });
  expect(asked).toEqual([['/bin/sh', '/bin/busybox', '/usr/local/go', '/usr/lib/node']]);
});
