import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { DockerEngine } from '../../../harness/engine/docker-engine.js';
import { EngineError, EngineUnreachableError } from '../../../harness/errors.js';

// What DockerEngine sends through docker-modem, request by request, against an HTTP server on loopback that
// records each request and answers as the Engine API does. The real daemons (integration suites) check the
// answers; this pins the requests: method, path, query, body and the registry-auth header. (docker-modem sends
// no body for a POST whose options are empty: Content-Length 0.)

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  body: string;
  auth?: string;
}

let server: Server;
let port = 0;
let seen: Seen[] = [];
let apiVersion = '1.41';
/** Per path: a status to answer with instead (e.g. 404 for a DELETE). */
let statusFor: Record<string, number> = {};

function answer(req: IncomingMessage, res: ServerResponse, body: string) {
  const url = new URL(req.url!, 'http://x');
  const auth = req.headers['x-registry-auth'];
  seen.push({ method: req.method!, path: url.pathname, query: Object.fromEntries(url.searchParams), body, ...(typeof auth === 'string' ? { auth: Buffer.from(auth, 'base64').toString() } : {}) });
  const status = statusFor[url.pathname];
  if (status) {
    res.writeHead(status, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ message: `answered ${status}` }));
  }
  const json = (v: unknown, code = 200) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(v));
  };
  const p = url.pathname;
  if (p === '/_ping') return void res.writeHead(200).end('OK');
  if (p === '/version') return json({ Version: '20.10.24', ApiVersion: apiVersion, Os: 'linux', Arch: 'amd64' });
  if (p === '/info') return json({ Driver: 'overlay2', NCPU: 2 });
  if (p === '/system/df') return json({ Images: [{ Id: 'sha256:a', Size: 10, SharedSize: 4 }] });
  if (p === '/images/create' || p.endsWith('/push')) return json({ status: 'done' });
  if (p === '/containers/create') return json({ Id: 'c1' }, 201);
  if (p.endsWith('/start')) return void res.writeHead(204).end();
  if (p.endsWith('/wait')) return json({ StatusCode: 3 });
  if (p.endsWith('/logs')) {
    // Docker's multiplexed frame: stream 1, big-endian length, then the bytes.
    const text = Buffer.from('hello\n');
    const head = Buffer.alloc(8);
    head[0] = 1;
    head.writeUInt32BE(text.length, 4);
    res.writeHead(200, { 'content-type': 'application/vnd.docker.raw-stream' });
    return res.end(Buffer.concat([head, text]));
  }
  if (p.endsWith('/archive')) return void res.writeHead(200).end();
  if (p.endsWith('/tag')) return void res.writeHead(201).end();
  if (p === '/images/json' || p === '/containers/json') return json([]);
  if (req.method === 'DELETE') return p.startsWith('/containers/') ? void res.writeHead(204).end() : json([{ Untagged: p }]);
  json({ message: `no route ${p}` }, 500);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => answer(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  statusFor = {};
  apiVersion = '1.41';
});

const engine = () => new DockerEngine({ DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_CONFIG: '/nonexistent' });
const requests = (...paths: string[]) => seen.filter((s) => paths.includes(s.path)).map(({ method, path, query, body, auth }) => ({ method, path, query, body, ...(auth ? { auth } : {}) }));

test('a pull asks for one tag (latest when none is given), never every tag', async () => {
  await engine().pull('debian');
  await engine().pull('127.0.0.1:5000/app:v1');
  expect(requests('/images/create')).toEqual([
    { method: 'POST', path: '/images/create', query: { fromImage: 'debian', tag: 'latest' }, body: '' },
    { method: 'POST', path: '/images/create', query: { fromImage: '127.0.0.1:5000/app', tag: 'v1' }, body: '' },
  ]);
});

test('tag, push to the loopback registry (an empty auth header, as docker sends) and remove a reference', async () => {
  const e = engine();
  await e.tag('sha256:abc', '127.0.0.1:5000/stagebench-deploy/app', 'multi');
  await e.pushToLoopback('127.0.0.1:5000/stagebench-deploy/app', 'multi');
  await e.removeReference('127.0.0.1:5000/stagebench-deploy/app:multi');
  expect(requests('/images/sha256:abc/tag', '/images/127.0.0.1:5000/stagebench-deploy/app/push', '/images/127.0.0.1:5000/stagebench-deploy/app:multi')).toEqual([
    { method: 'POST', path: '/images/sha256:abc/tag', query: { repo: '127.0.0.1:5000/stagebench-deploy/app', tag: 'multi' }, body: '' },
    { method: 'POST', path: '/images/127.0.0.1:5000/stagebench-deploy/app/push', query: { tag: 'multi' }, body: '', auth: '{}' },
    { method: 'DELETE', path: '/images/127.0.0.1:5000/stagebench-deploy/app:multi', query: {}, body: '' },
  ]);
  // Removing what is already gone is not an error.
  statusFor = { '/images/gone:1': 404 };
  await expect(e.removeReference('gone:1')).resolves.toBeUndefined();
});

test('a smoke container: created with its config as the body, started, waited for, its logs read and removed by force', async () => {
  const c = await engine().startContainer({ image: 'sha256:img', labels: { l: '1' }, env: { PORT: '8080' }, network: 'host' });
  expect(await c.exited).toBe(3);
  expect(await c.logTail()).toEqual(['hello']);
  await c.remove();
  const create = requests('/containers/create')[0]!;
  expect([create.method, create.query]).toEqual(['POST', {}]);
  expect(JSON.parse(create.body)).toEqual({ Image: 'sha256:img', Labels: { l: '1' }, Env: ['PORT=8080'], HostConfig: { NetworkMode: 'host', AutoRemove: false } });
  expect(requests('/containers/c1/start', '/containers/c1/wait', '/containers/c1/logs', '/containers/c1').map(({ method, path, query }) => [method, path, query])).toEqual([
    ['POST', '/containers/c1/start', {}],
    ['POST', '/containers/c1/wait', {}],
    ['GET', '/containers/c1/logs', { stdout: 'true', stderr: 'true', tail: '20' }],
    ['DELETE', '/containers/c1', { force: 'true' }],
  ]);
});

test('paths in an image: one HEAD of the archive per path, a 404 is "absent", the container removed', async () => {
  const present = await engine().pathsPresent('sha256:img', ['/bin/sh'], { l: '1' });
  expect([...present]).toEqual(['/bin/sh']);
  expect(requests('/containers/c1/archive').map(({ method, query }) => [method, query])).toEqual([['HEAD', { path: '/bin/sh' }]]);
  statusFor = { '/containers/c1/archive': 404 };
  expect([...(await engine().pathsPresent('sha256:img', ['/nope'], {}))]).toEqual([]);
});

test('lists: every image, and containers and images carrying a label', async () => {
  const e = engine();
  await e.imageIds();
  await e.listLabelled('org.stagebench.run=x');
  expect(requests('/images/json', '/containers/json')).toEqual([
    { method: 'GET', path: '/images/json', query: { all: 'true' }, body: '' },
    { method: 'GET', path: '/containers/json', query: { all: 'true', filters: '{"label":["org.stagebench.run=x"]}' }, body: '' },
    { method: 'GET', path: '/images/json', query: { all: 'true', filters: '{"label":["org.stagebench.run=x"]}' }, body: '' },
  ]);
});

test.each([
  ['1.41', {}],
  ['1.42', { type: 'image' }],
  ['1.45', { type: 'image' }],
])('disk usage on API %s asks for %j', async (api, query) => {
  apiVersion = api;
  const usage = await engine().diskUsage([{ id: 'sha256:a', sizeBytes: 10 }]);
  expect(usage.get('sha256:a')).toEqual({ uniqueBytes: 6, sharedBytes: 4 });
  expect(requests('/system/df')).toEqual([{ method: 'GET', path: '/system/df', query, body: '' }]);
});

describe('after a build broke: is the engine gone?', () => {
  // A server that accepts and at once resets or hangs up: what a ping gets while a killed daemon's socket closes.
  let tcp: TcpServer;
  let tcpPort = 0;
  let how: 'reset' | 'hang up' = 'reset';
  const sockets: Socket[] = [];
  beforeAll(async () => {
    tcp = createTcpServer((s) => {
      sockets.push(s);
      if (how === 'reset') s.resetAndDestroy();
      else s.end();
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    tcpPort = (tcp.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => tcp.close(resolve));
  });
  const gone = (e: DockerEngine) => (e as unknown as { gone(): Promise<boolean> }).gone();

  test.each(['reset', 'hang up'] as const)('a ping that is %s gets no HTTP answer: gone', async (kind) => {
    how = kind;
    expect(await gone(new DockerEngine({ DOCKER_HOST: `tcp://127.0.0.1:${tcpPort}` }, { timeoutMs: 2000 }))).toBe(true);
  });

  test('a ping the engine answers, even with 500: not gone', async () => {
    expect(await gone(engine())).toBe(false);
    statusFor = { '/_ping': 500 };
    expect(await gone(engine())).toBe(false);
  });

  test('nothing listening: gone', async () => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const free = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await gone(new DockerEngine({ DOCKER_HOST: `tcp://127.0.0.1:${free}` }, { timeoutMs: 2000 }))).toBe(true);
  });
});

test("an engine refusal is an EngineError naming what was asked, in the engine's own words", async () => {
  statusFor = { '/images/sha256:abc/tag': 409 };
  const err = await engine().tag('sha256:abc', 'r', 't').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(EngineError);
  expect(err).not.toBeInstanceOf(EngineUnreachableError);
  expect((err as Error).message).toBe('tagging sha256:abc as r:t failed: answered 409');
});
