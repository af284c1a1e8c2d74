import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineAddress } from '../../../harness/engine/docker-host.js';
import { ConfigError } from '../../../harness/errors.js';

/** A Docker config dir laid out as `docker context create` writes it (checked against docker 20.10's CLI). */
function configDir(contexts: Record<string, { host: string; skipTls?: boolean; tls?: boolean }>, current?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-dockercfg-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: {}, ...(current ? { currentContext: current } : {}) }));
  for (const [name, c] of Object.entries(contexts)) {
    const hash = createHash('sha256').update(name).digest('hex');
    mkdirSync(join(dir, 'contexts', 'meta', hash), { recursive: true });
    writeFileSync(join(dir, 'contexts', 'meta', hash, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: c.host, SkipTLSVerify: !!c.skipTls } } }));
    if (c.tls) {
      mkdirSync(join(dir, 'contexts', 'tls', hash, 'docker'), { recursive: true });
      for (const f of ['ca', 'cert', 'key']) writeFileSync(join(dir, 'contexts', 'tls', hash, 'docker', `${f}.pem`), `${f} of ${name}`);
    }
  }
  return dir;
}

const dir = configDir(
  {
    ci: { host: 'unix:///run/ci.sock' },
    other: { host: 'unix:///run/other.sock' },
    remote: { host: 'tcp://builder.example:2376', tls: true },
    insecure: { host: 'tcp://insecure.example:2376', skipTls: true },
    plain: { host: 'tcp://plain.example:2375' },
    box: { host: 'ssh://me@box:2222' },
  },
  'ci',
);

describe('which engine, resolved as the docker CLI does', () => {
  test.each([
    ['the current context of `docker context use`', {}, undefined, 'unix:///run/ci.sock (context ci)'],
    ['DOCKER_CONTEXT over the current context', { DOCKER_CONTEXT: 'other' }, undefined, 'unix:///run/other.sock (context other)'],
    ['DOCKER_HOST over DOCKER_CONTEXT and the current context', { DOCKER_HOST: 'unix:///run/host.sock', DOCKER_CONTEXT: 'other' }, undefined, 'unix:///run/host.sock'],
    ['--context over DOCKER_HOST', { DOCKER_HOST: 'unix:///run/host.sock' }, 'other', 'unix:///run/other.sock (context other)'],
    ['"default" is DOCKER_HOST or the local socket', { DOCKER_HOST: 'unix:///run/host.sock' }, 'default', 'unix:///run/host.sock'],
  ])('%s', (_what, env, flag, address) => {
    expect(engineAddress({ DOCKER_CONFIG: dir, ...env }, flag).address).toBe(address);
  });

  test('what chose the engine is kept, for the hint when it does not answer', () => {
    const chosen = (env: Record<string, string>, flag?: string) => engineAddress({ DOCKER_CONFIG: dir, ...env }, flag).chosenBy;
    expect(chosen({})).toEqual({ by: 'context', name: 'ci', from: 'docker context use' });
    expect(chosen({ DOCKER_CONTEXT: 'other' })).toEqual({ by: 'context', name: 'other', from: 'DOCKER_CONTEXT' });
    expect(chosen({ DOCKER_HOST: 'unix:///run/host.sock' }, 'other')).toEqual({ by: 'context', name: 'other', from: '--context' });
    expect(chosen({ DOCKER_HOST: 'unix:///run/host.sock', DOCKER_CONTEXT: 'other' })).toEqual({ by: 'DOCKER_HOST' });
    expect(chosen({}, 'default')).toEqual({ by: 'socket' });
  });

  test('a unix endpoint is a socket path', () => {
    expect(engineAddress({ DOCKER_CONFIG: dir }).options).toEqual({ socketPath: '/run/ci.sock' });
  });

  test("a context's TLS files are used for its tcp endpoint", () => {
    const { options } = engineAddress({ DOCKER_CONFIG: dir }, 'remote');
    expect(options).toMatchObject({ host: 'builder.example', port: 2376, protocol: 'https' });
    expect([options.ca, options.cert, options.key].map(String)).toEqual(['ca of remote', 'cert of remote', 'key of remote']);
    expect((options as { agent?: Agent }).agent).toBeUndefined();
  });

  test('skip-tls-verify: https through an agent that does not verify', () => {
    const { options } = engineAddress({ DOCKER_CONFIG: dir }, 'insecure');
    expect(options).toMatchObject({ protocol: 'https', port: 2376 });
    expect((options as { agent?: Agent }).agent).toBeInstanceOf(Agent);
    expect((options as { agent: Agent }).agent.options.rejectUnauthorized).toBe(false);
  });

  test('plain tcp and ssh endpoints', () => {
    expect(engineAddress({ DOCKER_CONFIG: dir }, 'plain').options).toEqual({ host: 'plain.example', port: 2375, protocol: 'http' });
    expect(engineAddress({ DOCKER_CONFIG: dir, SSH_AUTH_SOCK: '/a.sock' }, 'box').options).toEqual({ protocol: 'ssh', host: 'box', port: 2222, username: 'me', sshOptions: { agent: '/a.sock' } });
  });

  test('DOCKER_HOST with DOCKER_TLS_VERIFY reads the certificates from DOCKER_CERT_PATH', () => {
    const certs = mkdtempSync(join(tmpdir(), 'sb-certs-'));
    for (const f of ['ca', 'cert', 'key']) writeFileSync(join(certs, `${f}.pem`), f);
    const { options, address } = engineAddress({ DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs, DOCKER_CONFIG: dir });
    expect(address).toBe('tcp://127.0.0.1:2376');
    expect(options).toMatchObject({ protocol: 'https', host: '127.0.0.1', port: 2376 });
    expect(String(options.ca)).toBe('ca');
  });

  test('no context, no DOCKER_HOST: the local socket', () => {
    const empty = mkdtempSync(join(tmpdir(), 'sb-dockercfg-'));
    expect(engineAddress({ DOCKER_CONFIG: empty }).address).toMatch(/^unix:\/\/.*docker\.sock$/);
  });

  test('a context that does not exist is a configuration error naming where it came from and the fix', () => {
    expect(() => engineAddress({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'gone' })).toThrow(ConfigError);
    expect(() => engineAddress({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'gone' })).toThrow(/docker context "gone" \(from DOCKER_CONTEXT\) does not exist/);
    const stale = configDir({}, 'deleted');
    expect(() => engineAddress({ DOCKER_CONFIG: stale })).toThrow(/docker context "deleted" \(from currentContext in .*config\.json\) does not exist/);
  });
});
