import { effectiveBuildArgs, prepareVariant } from '../../../harness/measure/prepare.js';
import { fakeEngine } from '../cli/fake-engine.js';
import { benchOptions, emptyResult, scenario } from './measure-fixtures.js';

const DOCKERFILE = 'ARG BASE=alpine:3\nARG TOOL\nFROM ${BASE} AS build\nRUN true\nFROM busybox:1 AS final\nCOPY --from=build /x /x\n';

test('profile build args reach only Dockerfiles that declare them; scenario.json args always apply', () => {
  expect(effectiveBuildArgs(new Set(['BASE']), { BASE: 'local/alpine', REGISTRY: 'r' }, { EXTRA: '1' })).toEqual({ BASE: 'local/alpine', EXTRA: '1' });
  expect(effectiveBuildArgs(new Set(['BASE']), { BASE: 'p' }, { BASE: 's' })).toEqual({ BASE: 's' });
});

test('a variant prepared: build args, bases with ARGs expanded, the request with tag and labels', async () => {
  const s = scenario({ Dockerfile: DOCKERFILE }, { network: 'host', variants: { multi: { buildArgs: { TOOL: 'make' } } } }, 'Go-App');
  const result = emptyResult('multi', 'Dockerfile');
  const opts = benchOptions({ profile: { name: 'offline', buildArgs: { BASE: 'local/alpine:3', UNUSED: 'x' } }, noCache: true });
  const engine = fakeEngine({ missing: ['local/alpine:3'] });
  const prepared = await prepareVariant(engine, s, s.variants[0]!, result, 'run1', opts);
  expect(result).toEqual({ ...emptyResult('multi', 'Dockerfile'), buildArgs: { BASE: 'local/alpine:3', TOOL: 'make' }, network: 'host', baseImages: ['busybox:1'], pullMs: expect.any(Number) });
  expect(engine.pulls).toEqual(['local/alpine:3']);
  expect(prepared.finalFrom).toBe('busybox:1');
  const { onStep, signal, ...request } = prepared.request!;
  expect(request).toEqual({
    contextDir: s.dir,
    dockerfile: 'Dockerfile',
    builder: 'buildkit',
    tag: 'stagebench/go-app:multi-run1',
    // No run id in the image's labels: a cached rebuild keeps its image id from run to run.
    labels: { 'org.stagebench': 'true', 'org.stagebench.scenario': 'Go-App', 'org.stagebench.variant': 'multi' },
    buildArgs: { BASE: 'local/alpine:3', TOOL: 'make' },
    target: undefined,
    network: 'host',
    noCache: true,
  });
  expect(signal).toBe(opts.signal);
  expect(typeof onStep).toBe('function');
});

test('a target that is no stage: an error naming the stages, no request, nothing pulled', async () => {
  const s = scenario({ Dockerfile: DOCKERFILE }, { target: 'prod' });
  const result = emptyResult('multi', 'Dockerfile');
  const engine = fakeEngine({ missing: ['alpine:3'] });
  const prepared = await prepareVariant(engine, s, s.variants[0]!, result, 'r', benchOptions());
  expect(prepared.request).toBeUndefined();
  expect(result.error).toEqual({ message: 'target "prod" is not a stage of Dockerfile (stages: build, final); fix "target" in scenario.json or the config file', logTail: [] });
  expect(engine.pulls).toEqual([]);
});

test('a base that cannot be pulled fails the variant at FROM, before any build', async () => {
  const s = scenario({ Dockerfile: 'FROM nosuch/base:1\n' });
  const result = emptyResult('multi', 'Dockerfile');
  const prepared = await prepareVariant(fakeEngine({ missing: ['nosuch/base:1'], pullFails: ['nosuch/base:1'] }), s, s.variants[0]!, result, 'r', benchOptions());
  expect(prepared.request).toBeUndefined();
  expect(result.error?.step).toBe('FROM (base image)');
  expect(result.error?.message).toMatch(/^base image "nosuch\/base:1" is not on the engine and could not be pulled/);
  expect(result.baseImages).toEqual(['nosuch/base:1']);
});
