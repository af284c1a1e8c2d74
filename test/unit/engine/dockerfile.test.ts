import { expandArgs, parseDockerfile, stageImages } from '../../../harness/engine/dockerfile.js';

const lesson = `
# syntax is never used here
ARG NODE_IMAGE=node:24-alpine
FROM \${NODE_IMAGE} AS builder
ARG NPM_CONFIG_REGISTRY
WORKDIR /app
RUN npm install \\
    && npm run build
FROM \${NODE_IMAGE}
COPY --from=builder /app/dist ./dist
`;

test('ARGs before FROM, ARGs in stages, stages and COPY --from', () => {
  const parsed = parseDockerfile(lesson);
  expect([...parsed.globalArgs]).toEqual([['NODE_IMAGE', 'node:24-alpine']]);
  expect([...parsed.declaredArgs].sort()).toEqual(['NODE_IMAGE', 'NPM_CONFIG_REGISTRY']);
  expect(parsed.stages).toEqual([
    { from: '${NODE_IMAGE}', name: 'builder', copyFrom: [] },
    { from: '${NODE_IMAGE}', name: undefined, copyFrom: ['builder'] },
  ]);
});

test.each([
  ['defaults', {}, undefined, ['node:24-alpine'], ['node:24-alpine']],
  ['a build arg overrides the default', { NODE_IMAGE: 'local/node:18' }, undefined, ['local/node:18'], ['local/node:18']],
  ['an unrelated build arg changes nothing', { OTHER: 'x' }, undefined, ['node:24-alpine'], ['node:24-alpine']],
])('lesson bases: %s', (_n, args, target, finalBases, allBases) => {
  expect(stageImages(parseDockerfile(lesson), args, target)).toEqual({ finalBases, finalFrom: finalBases[0], allBases });
});

test('FROM scratch with an external COPY --from and a stage chain', () => {
  const text = [
    'ARG GO=golang:1.25-alpine',
    'FROM --platform=$BUILDPLATFORM ${GO} AS build',
    'FROM build AS test',
    'FROM scratch',
    'COPY --from=build /out /out',
    'COPY --from=alpine:3.22 /etc/ssl/certs /etc/ssl/certs',
  ].join('\n');
  expect(stageImages(parseDockerfile(text), {})).toEqual({ finalBases: ['scratch', 'alpine:3.22'], finalFrom: 'scratch', allBases: ['golang:1.25-alpine', 'alpine:3.22'] });
});

test('a stage FROM another stage inherits its base; --target stops at that stage', () => {
  const text = 'FROM debian AS base\nFROM base AS t1\nFROM alpine AS t2\nFROM base\n';
  expect(stageImages(parseDockerfile('FROM golang AS b\nFROM b\nCOPY --from=alpine:3 /x /x\n'), {})).toMatchObject({ finalBases: ['alpine:3', 'golang'], finalFrom: 'golang' });
  expect(stageImages(parseDockerfile(text), {})).toEqual({ finalBases: ['debian'], finalFrom: 'debian', allBases: ['debian', 'alpine'] });
  expect(stageImages(parseDockerfile(text), {}, 't1')).toEqual({ finalBases: ['debian'], finalFrom: 'debian', allBases: ['debian'] });
  expect(stageImages(parseDockerfile(text), {}, 'T2')).toEqual({ finalBases: ['alpine'], finalFrom: 'alpine', allBases: ['debian', 'alpine'] });
});

test('heredoc bodies and the escape directive', () => {
  const heredoc = 'FROM a\nRUN <<EOF\nFROM not-a-stage\nEOF\nFROM b\n';
  expect(parseDockerfile(heredoc).stages.map((s) => s.from)).toEqual(['a', 'b']);
  const backtick = '# escape=`\nFROM `\n  c:\\windows AS w\n';
  expect(parseDockerfile(backtick).stages).toEqual([{ from: 'c:\\windows', name: 'w', copyFrom: [] }]);
});

test.each([
  ['$A', 'x'],
  ['${A}', 'x'],
  ['${A}:${B}', 'x:'],
  ['${B:-dflt}', 'dflt'],
  ['${A:-dflt}', 'x'],
  ['${A:+alt}', 'alt'],
  ['${B:+alt}', ''],
  ['plain', 'plain'],
])('expandArgs(%s)', (input, expected) => {
  expect(expandArgs(input, new Map([['A', 'x'], ['B', undefined]]))).toBe(expected);
});

test('what COPY and ADD read from the context: flags, JSON form, --from, URLs and heredocs left out', () => {
  const text = [
    'FROM x AS build',
    'COPY --chown=1:1 --link package.json package-lock.json ./',
    'COPY ["src dir/a.ts", "b.ts", "/app/"]',
    'ADD https://example.org/x.tgz /tmp/',
    'ADD vendor.tgz /opt/',
    'COPY --from=build /out /out',
    'COPY <<EOF /etc/x',
    'hello',
    'EOF',
  ].join('\n');
  expect(parseDockerfile(text).contextSources).toEqual(['package.json', 'package-lock.json', 'src dir/a.ts', 'b.ts', 'vendor.tgz']);
});
