import { readFileSync } from 'node:fs';
import { atLeast, builderLabel, builderUsed, checkBuilderWorks, describeEngine, engineName, storeName, versionParts } from '../../../harness/engine/engine-kind.js';
import type { EngineFacts } from '../../../harness/engine/engine.js';
import { ConfigError } from '../../../harness/errors.js';

// GET /version and GET /info as each engine of the CI matrix answered them (offline/engines.sh).
const recorded = (name: string) => {
  const { version, info } = JSON.parse(readFileSync(new URL(`../../fixtures/engines/${name}.json`, import.meta.url), 'utf8'));
  return describeEngine(version, info, 'unix:///x.sock');
};

describe('describeEngine on recorded answers', () => {
  test.each([
    ['docker-20.10-overlay2', 'docker', 'graphdriver', 'overlay2', 'Docker 20.10.24+dfsg1', 'overlay2'],
    ['docker-26.1-overlay2', 'docker', 'graphdriver', 'overlay2', 'Docker 26.1.5+dfsg1', 'overlay2'],
    ['docker-26.1-containerd', 'docker', 'containerd', 'overlayfs', 'Docker 26.1.5+dfsg1', 'containerd image store (overlayfs)'],
    ['podman-4.3', 'podman', 'containers-storage', 'overlay', 'Podman 4.3.1', 'containers/storage overlay'],
  ])('%s', (name, kind, imageStore, storageDriver, label, store) => {
    const facts = recorded(name);
    expect(facts).toMatchObject({ kind, imageStore, storageDriver, address: 'unix:///x.sock', ncpu: 2 });
    expect(engineName(facts)).toBe(label);
    expect(storeName(facts)).toBe(store);
  });
});

describe('the builder', () => {
  test('Podman always builds with buildah; Docker with what was asked', () => {
    expect(builderUsed(recorded('podman-4.3'), 'buildkit')).toBe('buildah');
    expect(builderUsed(recorded('podman-4.3'), 'classic')).toBe('buildah');
    expect(builderUsed(recorded('docker-26.1-containerd'), 'classic')).toBe('classic');
    expect(builderUsed({}, 'buildkit')).toBe('buildkit'); // results from before engines were told apart
  });

  test('the label says when the engine used another builder than asked', () => {
    expect(builderLabel({ builder: 'buildkit', builderUsed: 'buildah' })).toBe('buildah (asked for buildkit)');
    expect(builderLabel({ builder: 'classic', builderUsed: 'classic' })).toBe('classic');
    expect(builderLabel({ builder: 'buildkit' })).toBe('buildkit');
  });

  test.each([
    ['26.1.5+dfsg1', [26, 1, 5]],
    ['27.5.0-rc.1', [27, 5, 0]],
    ['28', [28, 0, 0]],
    ['dev', [0, 0, 0]],
  ])('versionParts(%s)', (v, parts) => expect(versionParts(v)).toEqual(parts));

test.each([
  ['1.41', false],
  ['1.42', true],
  ['1.45', true],
  ['2.0', true],
  ['', false],
])('API %s is 1.42 or later (disk usage of images only): %s', (api, expected) => expect(atLeast(api, [1, 42])).toBe(expected));

  const containerd = (serverVersion: string): EngineFacts => ({ ...recorded('docker-26.1-containerd'), serverVersion });
  test('BuildKit on the containerd store before 27.5 is refused with both ways out', () => {
    expect(() => checkBuilderWorks(containerd('26.1.5+dfsg1'), 'buildkit')).toThrow(ConfigError);
    expect(() => checkBuilderWorks(containerd('27.4.1'), 'buildkit')).toThrow(/moby\/moby#47717/);
    try {
      checkBuilderWorks(containerd('26.1.5+dfsg1'), 'buildkit');
    } catch (err) {
      expect((err as ConfigError).hint).toBe('pass --builder classic, or use Docker 27.5 or newer (or an engine with the overlay2 graph-driver store)');
    }
  });

  test('what works is not refused', () => {
    expect(() => checkBuilderWorks(containerd('26.1.5+dfsg1'), 'classic')).not.toThrow();
    expect(() => checkBuilderWorks(containerd('27.5.0'), 'buildkit')).not.toThrow();
    expect(() => checkBuilderWorks(containerd('28.0.1'), 'buildkit')).not.toThrow();
    expect(() => checkBuilderWorks(recorded('docker-26.1-overlay2'), 'buildkit')).not.toThrow();
    expect(() => checkBuilderWorks(recorded('podman-4.3'), 'buildkit')).not.toThrow();
  });
});
