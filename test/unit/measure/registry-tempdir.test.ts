import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../harness/errors.js';
import { startLoopbackRegistry } from '../../../harness/measure/registry.js';

test('a temp dir the registry\'s storage cannot be made in: a configuration error naming the temp dir and TMPDIR, not --out', async () => {
  const bin = mkdtempSync(join(tmpdir(), 'sb-registry-bin-'));
  // A docker-registry that only says its version: the storage fails before it would be started.
  writeFileSync(join(bin, 'docker-registry'), '#!/bin/sh\necho "docker-registry github.com/docker/distribution 2.8.2+ds1"\n');
  chmodSync(join(bin, 'docker-registry'), 0o755);
  const file = join(bin, 'a-file');
  writeFileSync(file, '');
  const err = await startLoopbackRegistry(new AbortController().signal, { PATH: `${bin}:${process.env.PATH}`, TMPDIR: file }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).message).toContain(`the loopback registry's storage cannot be written in the temp dir (${file}): `);
  expect((err as ConfigError).hint).toBe('set TMPDIR to a folder you can write, or leave out --deploy');
});
