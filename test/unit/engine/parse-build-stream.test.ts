import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { type BuildMessage, BuildStreamParser } from '../../../harness/engine/parse-build-stream.js';

/** Streams recorded from a real 20.10 daemon (see test/fixtures/streams/README.md). */
function parseRecorded(name: string) {
  const lines = readFileSync(new URL(`../../fixtures/streams/${name}`, import.meta.url), 'utf8').split('\n').filter(Boolean);
  const parser = new BuildStreamParser();
  const idAt: number[] = [];
  lines.forEach((line, i) => parser.push(JSON.parse(line) as BuildMessage) && idAt.push(i));
  return { parsed: parser.finish(), idAt, lineCount: lines.length };
}

describe('classic builder streams', () => {
  test('a multi-stage build: one id per stage, the last one is the image', () => {
    const { parsed, idAt } = parseRecorded('classic-multistage-ok.jsonl');
    expect(parsed.failure).toBeUndefined();
    expect(parsed.auxIds).toEqual([
      'sha256:8df338af3f40e10d6862f3a2832ae697c24b5c069652ec4346971aceb65948e4',
      'sha256:06aa7c873e08cc3999cd873b01ef3a88c531d938022c1482c39e66464487f4cc',
    ]);
    expect(parsed.imageId).toBe(parsed.auxIds[1]);
    expect(idAt).toHaveLength(2);
    expect(parsed.steps.map((s) => s.name)).toEqual([
      'ARG BASE=stagebench-fixture/busybox:latest',
      'FROM ${BASE} AS build',
      'WORKDIR /www',
      'COPY . .',
      'RUN test ! -e junk.log && test ! -e secret && dd if=/dev/zero of=/toolchain.bin bs=1024 count=1024 2>/dev/null     && echo built > /www/build.txt',
      'FROM ${BASE}',
      'COPY --from=build /www /www',
      'CMD ["sh", "-c", "exec httpd -f -p ${PORT:-8080} -h /www"]',
    ]);
    expect(parsed.steps.every((s) => !s.cached)).toBe(true);
  });

  test('a failing RUN: step, exit code and output, colour codes removed', () => {
    const { parsed } = parseRecorded('classic-run-fails.jsonl');
    expect(parsed.imageId).toBeUndefined();
    expect(parsed.failure).toEqual({
      step: 'RUN echo "about to fail"; echo line1; echo line2 >&2; ls /nonexistent; exit 3',
      message: `The command '/bin/sh -c echo "about to fail"; echo line1; echo line2 >&2; ls /nonexistent; exit 3' returned a non-zero code: 3`,
      exitCode: 3,
      logTail: ['about to fail', 'line1', 'line2', 'ls: /nonexistent: No such file or directory'],
    });
    expect(parsed.intermediateIds.length).toBeGreaterThan(0);
    expect(parsed.containerIds).toHaveLength(2);
  });
});

describe('buildah streams (Podman 4.3)', () => {
  const stages = [
    '[1/2] FROM stagebench-fixture/busybox:latest AS build',
    '[1/2] WORKDIR /www',
    '[1/2] COPY . .',
    '[1/2] RUN test ! -e junk.log && test ! -e secret && dd if=/dev/zero of=/toolchain.bin bs=1024 count=1024 2>/dev/null     && echo built > /www/build.txt',
    '[2/2] FROM stagebench-fixture/busybox:latest',
    '[2/2] COPY --from=build /www /www',
    '[2/2] CMD ["sh", "-c", "exec httpd -f -p ${PORT:-8080} -h /www"]',
    // buildah turns the labels of the request into steps of its own.
    '[2/2] LABEL "org.stagebench"="true"',
    '[2/2] LABEL "org.stagebench.run"="i12rec"',
  ];

  test('a multi-stage build: STEP n/m lines become steps, each image a step committed is known, one image id', () => {
    const { parsed, idAt } = parseRecorded('buildah-multistage-ok.jsonl');
    expect(parsed.failure).toBeUndefined();
    expect(parsed.imageId).toBe('sha256:8b28b953791d57857af628c3b1856a44df12f7ff7488fbbebe04c460fe517e12');
    expect(idAt).toHaveLength(1);
    expect(parsed.steps.map((s) => s.name)).toEqual(stages);
    expect(parsed.steps.every((s) => !s.cached && s.startedMs !== undefined && s.completedMs !== undefined)).toBe(true);
    expect(parsed.intermediateIds).toEqual(['73683032aaf', '4e30c2bef99', '815b9d80530', '2f6e1d739d6', 'c1835379d2f', 'ed9c9d3e8fc', '8b28b953791']);
  });

  test('"--> Using cache" marks the step cached; a FROM is never a cache hit', () => {
    const { parsed } = parseRecorded('buildah-multistage-cached.jsonl');
    expect(parsed.steps.map((s) => s.name)).toEqual(stages);
    expect(parsed.steps.map((s) => s.cached)).toEqual([false, true, true, true, false, true, true, true, true]);
  });

  test('a failing RUN: the step, the exit status and its output', () => {
    const { parsed } = parseRecorded('buildah-run-fails.jsonl');
    expect(parsed.imageId).toBeUndefined();
    expect(parsed.failure).toEqual({
      step: '[1/2] RUN echo "about to fail"; echo line1; echo line2 >&2; ls /nonexistent; exit 3',
      message: 'building at STEP "RUN echo "about to fail"; echo line1; echo line2 >&2; ls /nonexistent; exit 3": while running runtime: exit status 3',
      exitCode: 3,
      logTail: ['line2', 'about to fail', 'line1', 'ls: /nonexistent: No such file or directory'],
    });
  });

  test('a one-stage build has no stage prefix', () => {
    const parser = new BuildStreamParser();
    for (const stream of ['STEP 1/2: FROM x\n', 'STEP 2/2: RUN true\n', 'COMMIT t\n', '--> 0123456789a\n']) parser.push({ stream });
    parser.push({ aux: { ID: 'sha256:abc' } });
    expect(parser.finish().steps.map((s) => s.name)).toEqual(['FROM x', 'RUN true']);
  });
});

describe('BuildKit streams', () => {
  test('a multi-stage build: trace decoded into named steps with times, one image id', () => {
    const { parsed, idAt, lineCount } = parseRecorded('buildkit-multistage-ok.jsonl');
    expect(parsed.failure).toBeUndefined();
    expect(parsed.auxIds).toHaveLength(1);
    expect(parsed.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(idAt[0]).toBeGreaterThan(lineCount - 4);
    const names = parsed.steps.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['[build 3/4] COPY . .', '[stage-1 2/2] COPY --from=build /www /www', 'exporting to image']));
    const run = parsed.steps.find((s) => s.name.startsWith('[build 4/4] RUN'));
    expect(run?.cached).toBe(false);
    expect(run!.completedMs! - run!.startedMs!).toBeGreaterThan(0);
  });

  test('a failing RUN: the vertex with the error, its exit code and its own log', () => {
    const { parsed } = parseRecorded('buildkit-run-fails.jsonl');
    expect(parsed.imageId).toBeUndefined();
    expect(parsed.failure?.step).toBe('[build 3/3] RUN echo "about to fail"; echo line1; echo line2 >&2; ls /nonexistent; exit 3');
    expect(parsed.failure?.exitCode).toBe(3);
    expect(parsed.failure?.message).toMatch(/exit code: 3$/);
    expect([...(parsed.failure?.logTail ?? [])].sort()).toEqual(['about to fail', 'line1', 'line2', 'ls: /nonexistent: No such file or directory']);
  });

  test('a COPY of a missing file: the step, and no exit code since no process ran', () => {
    const { parsed } = parseRecorded('buildkit-copy-missing.jsonl');
    expect(parsed.failure?.step).toBe('[2/2] COPY missing.txt /missing.txt');
    expect(parsed.failure?.exitCode).toBeUndefined();
    expect(parsed.failure?.message).toContain('"/missing.txt" not found');
  });
});

/** A `moby.buildkit.trace` message as the engine sends it: base64 of a StatusResponse (buildkit's control.proto, only the fields used here). */
const TraceType = protobuf
  .parse(
    `syntax = "proto3"; package t;
     message Vertex { string digest = 1; string name = 3; string error = 7; }
     message VertexLog { string vertex = 1; int64 stream = 3; bytes msg = 4; }
     message StatusResponse { repeated Vertex vertexes = 1; repeated VertexLog logs = 3; }`,
  )
  .root.lookupType('t.StatusResponse');
const trace = (content: { vertexes?: { digest: string; name: string; error?: string }[]; logs?: { vertex: string; stream: number; msg: string }[] }): BuildMessage => ({
  id: 'moby.buildkit.trace',
  aux: Buffer.from(TraceType.encode(TraceType.fromObject({ ...content, logs: (content.logs ?? []).map((l) => ({ ...l, msg: Buffer.from(l.msg) })) })).finish()).toString('base64'),
});

describe('BuildKit logs', () => {
  test("a line the process wrote in pieces (npm's coloured \"npm ERR!\") is one log line, per stream, the unfinished last one included", () => {
    const parser = new BuildStreamParser();
    const run = { digest: 'sha256:run', name: '[build 4/6] RUN npm ci' };
    parser.push(trace({ vertexes: [run] }));
    for (const [stream, msg] of [[2, 'npm'], [1, 'out '], [2, ' ERR!'], [2, ' code E403\nnpm ERR!'], [1, 'line\n'], [2, ' 403 Forbidden']] as const) {
      parser.push(trace({ logs: [{ vertex: run.digest, stream, msg }] }));
    }
    parser.push(trace({ vertexes: [{ ...run, error: 'exit code: 1' }] }));
    parser.push({ errorDetail: { message: 'executor failed running [/bin/sh -c npm ci]: exit code: 1' } });
    expect(parser.finish().failure?.logTail).toEqual(['npm ERR! code E403', 'out line', 'npm ERR! 403 Forbidden']);
  });
});

describe('stream edge cases', () => {
  const parse = (messages: BuildMessage[]) => {
    const parser = new BuildStreamParser();
    for (const m of messages) parser.push(m);
    return parser.finish();
  };

  test.each([
    ['no image id and no error', [{ stream: 'Step 1/1 : FROM x\n' }], 'the build stream ended without an image id'],
    ['an error without errorDetail (older engines)', [{ error: 'boom' }], 'boom'],
    ['errorDetail wins over error', [{ error: 'old', errorDetail: { message: 'new' } }], 'new'],
  ])('%s', (_name, messages, message) => {
    expect(parse(messages as BuildMessage[]).failure?.message).toBe(message);
  });

  test('a line split across two stream messages is one log line', () => {
    const parsed = parse([{ stream: 'Step 1/2 : RUN x\n' }, { stream: 'hal' }, { stream: 'f line\n' }, { errorDetail: { message: 'returned a non-zero code: 1' } }]);
    expect(parsed.failure).toEqual({ step: 'RUN x', message: 'returned a non-zero code: 1', exitCode: 1, logTail: ['half line'] });
  });

  test('the log tail keeps the last 20 lines', () => {
    const text = Array.from({ length: 30 }, (_v, i) => `line ${i}`).join('\n');
    const parsed = parse([{ stream: 'Step 1/1 : RUN x\n' }, { stream: `${text}\n` }, { errorDetail: { message: 'x' } }]);
    expect(parsed.failure?.logTail).toEqual(Array.from({ length: 20 }, (_v, i) => `line ${i + 10}`));
  });

  test('"Using cache" marks the classic step cached; steps are timed from one Step line to the next', () => {
    let t = 1000;
    const parser = new BuildStreamParser(() => (t += 10));
    for (const m of [{ stream: 'Step 1/2 : FROM x\n' }, { stream: 'Step 2/2 : RUN y\n' }, { stream: ' ---> Using cache\n' }, { stream: ' ---> 0123456789ab\n' }, { aux: { ID: 'sha256:1' } }]) parser.push(m);
    const parsed = parser.finish();
    expect(parsed.steps).toEqual([
      { name: 'FROM x', cached: false, startedMs: 1010, completedMs: 1020 },
      { name: 'RUN y', cached: true, startedMs: 1030, completedMs: 1040 },
    ]);
    expect(parsed.intermediateIds).toEqual(['0123456789ab']);
    expect(parsed.imageId).toBe('sha256:1');
  });

  test('a classic output line that never ends is held to its first 4096 characters, and its tail line to 400', () => {
    const parser = new BuildStreamParser();
    parser.push({ stream: 'Step 1/1 : RUN yes | tr -d "\\n"\n' });
    const chunk = 'y'.repeat(64 * 1024);
    for (let i = 0; i < 160; i++) parser.push({ stream: chunk }); // 10 MiB on one line
    expect((parser as unknown as { partialLine: string }).partialLine.length).toBe(4096);
    parser.push({ stream: '\n' });
    parser.push({ errorDetail: { message: 'returned a non-zero code: 1' } });
    expect(parser.finish().failure?.logTail).toEqual([`${'y'.repeat(400)}…`]);
  });
});
