import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authFor, registryOf } from '../../../harness/engine/registry-auth.js';
import { ConfigError } from '../../../harness/errors.js';

// Fake credential helpers on PATH, run for real: the server arrives on stdin, as from the docker CLI.
const bin = mkdtempSync(join(tmpdir(), 'sb-helpers-'));
const helper = (name: string, script: string) => {
  writeFileSync(join(bin, `docker-credential-${name}`), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, `docker-credential-${name}`), 0o755);
};
helper('store', 'read server; [ "$1" = get ] || exit 9; printf \'{"ServerURL":"%s","Username":"store-user","Secret":"store-secret for %s"}\' "$server" "$server"');
helper('ecr', 'read server; printf \'{"ServerURL":"%s","Username":"AWS","Secret":"ecr-token"}\' "$server"');
helper('token', 'read server; printf \'{"ServerURL":"%s","Username":"<token>","Secret":"refresh-token"}\' "$server"');
helper('empty', 'echo "credentials not found in native keychain"; exit 1');
helper('broken', 'echo "the keyring is locked" >&2; exit 1');

function env(config: object | string | undefined): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-dockercfg-'));
  if (config !== undefined) writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return { DOCKER_CONFIG: dir, PATH: `${bin}:/usr/bin:/bin` };
}
const basic = (user: string, pass: string) => Buffer.from(`${user}:${pass}`).toString('base64');

describe('registryOf', () => {
  test.each([
    ['node:24-alpine', 'https://index.docker.io/v1/'],
    ['library/node:24', 'https://index.docker.io/v1/'],
    ['ghcr.io/acme/base:1', 'ghcr.io'],
    ['127.0.0.1:5000/private/busybox:1', '127.0.0.1:5000'],
    ['localhost/x', 'localhost'],
  ])('%s -> %s', (ref, registry) => expect(registryOf(ref)).toBe(registry));
});

describe('credentials for a pull, found as the docker CLI finds them', () => {
  const config = {
    auths: { 'ghcr.io': { auth: basic('inline-user', 'p:ss') }, 'https://index.docker.io/v1/': { identitytoken: 'hub-token' } },
    credsStore: 'store',
    credHelpers: { '123.dkr.ecr.eu-west-1.amazonaws.com': 'ecr', 'quay.io': 'token', 'nothing.example': 'empty' },
  };

  test('credHelpers for the registry wins over credsStore and auths', async () => {
    expect(await authFor('123.dkr.ecr.eu-west-1.amazonaws.com/base:1', env(config))).toEqual({
      registry: '123.dkr.ecr.eu-west-1.amazonaws.com',
      auth: { username: 'AWS', password: 'ecr-token', serveraddress: '123.dkr.ecr.eu-west-1.amazonaws.com' },
      source: expect.stringMatching(/^credHelpers "ecr" in .*config\.json$/),
    });
  });

  test('credsStore for every other registry, even one with inline auths (as the CLI does)', async () => {
    const got = await authFor('ghcr.io/acme/base:1', env(config));
    expect(got.auth).toEqual({ username: 'store-user', password: 'store-secret for ghcr.io', serveraddress: 'ghcr.io' });
    expect(got.source).toMatch(/^credsStore "store"/);
  });

  test('a helper answering with Username <token> gives an identity token', async () => {
    expect((await authFor('quay.io/x/y', env(config))).auth).toEqual({ identitytoken: 'refresh-token', serveraddress: 'quay.io' });
  });

  test('"credentials not found" from a helper is an anonymous pull', async () => {
    const got = await authFor('nothing.example/x', env(config));
    expect(got.auth).toBeUndefined();
    expect(got.source).toMatch(/^credHelpers "empty"/);
  });

  test('inline auths: user:password (a colon in the password kept) and identity tokens; https:// keys match', async () => {
    const inline = { auths: { 'https://ghcr.io': { auth: basic('inline-user', 'p:ss') }, 'https://index.docker.io/v1/': { identitytoken: 'hub-token' } } };
    expect((await authFor('ghcr.io/acme/base:1', env(inline))).auth).toEqual({ username: 'inline-user', password: 'p:ss', serveraddress: 'ghcr.io' });
    expect((await authFor('node:24', env(inline))).auth).toEqual({ identitytoken: 'hub-token', serveraddress: 'https://index.docker.io/v1/' });
    expect(await authFor('quay.io/x', env(inline))).toEqual({ registry: 'quay.io', source: 'none' });
  });

  test('no config file: anonymous', async () => {
    expect(await authFor('ghcr.io/a/b', env(undefined))).toEqual({ registry: 'ghcr.io', source: 'none' });
  });

  test('a helper that is not on PATH, a failing helper, a broken config: errors naming the registry, the helper and the fix', async () => {
    await expect(authFor('ghcr.io/a/b', env({ credsStore: 'desktop' }))).rejects.toThrow(/^docker-credential-desktop \(credsStore "desktop" in .*\) is not on PATH, so the credentials for ghcr\.io cannot be read$/);
    await expect(authFor('ghcr.io/a/b', env({ credsStore: 'broken' }))).rejects.toThrow(/^docker-credential-broken get \(credsStore "broken" in .*\) failed for ghcr\.io: the keyring is locked$/);
    await expect(authFor('ghcr.io/a/b', env('{ not json'))).rejects.toBeInstanceOf(ConfigError);
  });
});
