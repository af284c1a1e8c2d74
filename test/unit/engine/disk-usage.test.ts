import { usageOf } from '../../../harness/engine/disk-usage.js';

// GET /system/df figures as each engine reported them after building the hello fixture (single variant),
// except the made-up ids and the edge cases at the end.
describe('unique and shared bytes per image store', () => {
  test('graph-driver store: df Size - SharedSize', () => {
    const df = [{ Id: 'sha256:aa', Size: 3032351, SharedSize: 1982375 }]; // Docker 26.1 overlay2
    expect(usageOf(df, new Map([['sha256:aa', 3032351]]), 'graphdriver')).toEqual(new Map([['sha256:aa', { uniqueBytes: 1049976, sharedBytes: 1982375 }]]));
  });

  test('containerd store: df Size is content plus snapshots, so unique is the unpacked size minus SharedSize', () => {
    // Docker 26.1: inspect Size 1,069,940 (stored content), history sum 3,092,480 (unpacked), df Size 4,203,380.
    const df = [{ Id: 'sha256:bb', Size: 4203380, SharedSize: 1994752 }];
    const usage = usageOf(df, new Map([['sha256:bb', 3092480]]), 'containerd');
    expect(usage.get('sha256:bb')).toEqual({ uniqueBytes: 1097728, sharedBytes: 1994752 });
    // Read as on a graph-driver store, "unique" would have been 2,208,628 B of a 1,069,940 B image.
  });

  test('Podman: not recorded, whatever df says', () => {
    const df = [{ Id: 'c083dbc3dc94', Size: 3064353, SharedSize: 3064353 }]; // Podman 4.3: all shared
    expect(usageOf(df, new Map([['sha256:c083dbc3dc94', 3064353]]), 'containers-storage')).toEqual(new Map());
  });

  test('ids without sha256: (as Podman lists them) still match', () => {
    expect(usageOf([{ Id: 'cc', Size: 10, SharedSize: 4 }], new Map([['sha256:cc', 10]]), 'graphdriver').get('sha256:cc')).toEqual({ uniqueBytes: 6, sharedBytes: 4 });
  });

  test('never a figure larger than the image or below zero; SharedSize -1 means not computed', () => {
    const sizes = new Map([['sha256:a', 100], ['sha256:b', 100], ['sha256:c', 100], ['sha256:d', 100]]);
    const df = [
      { Id: 'sha256:a', Size: 250, SharedSize: 20 }, // unique 230 > 100
      { Id: 'sha256:b', Size: 100, SharedSize: 120 }, // shared > size, unique < 0
      { Id: 'sha256:c', Size: 100, SharedSize: -1 },
      { Id: 'sha256:d', Size: 100, SharedSize: 30 },
      { Id: 'sha256:other', Size: 5, SharedSize: 0 },
    ];
    expect(usageOf(df, sizes, 'graphdriver')).toEqual(new Map([['sha256:d', { uniqueBytes: 70, sharedBytes: 30 }]]));
    expect(usageOf([{ Id: 'sha256:a', Size: 900, SharedSize: 150 }], sizes, 'containerd')).toEqual(new Map());
  });
});
