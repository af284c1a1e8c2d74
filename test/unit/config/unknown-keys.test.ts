import { ConfigFileSchema, ScenarioFileSchema } from '../../../harness/config/schemas.js';
import { formatIssues, unknownKeyMessage } from '../../../harness/json-file.js';

const problems = (schema: typeof ConfigFileSchema | typeof ScenarioFileSchema, data: unknown) => formatIssues(schema.safeParse(data, { error: unknownKeyMessage }).error!);

test('an unknown key names the nearest key its object takes, at any depth', () => {
  expect(
    problems(ConfigFileSchema, {
      gates: {},
      profiles: { offline: { buildArg: {}, services: [{ name: 'npm', start: ['x'], stpo: ['y'] }] } },
      scenarios: { api: { contxt: '.', variants: { prod: { dockerfil: 'Dockerfile' } }, smoke: { command: ['true'], timeout: 5000 } } },
    }).sort(),
  ).toEqual(
    [
      '(top level): Unrecognized key: "gates" (did you mean "gate"?)',
      'profiles.offline: Unrecognized key: "buildArg" (did you mean "buildArgs"?)',
      'profiles.offline.services.0: Unrecognized key: "stpo" (did you mean "stop"?)',
      'scenarios.api: Unrecognized key: "contxt" (did you mean "context"?)',
      'scenarios.api.variants.prod: Unrecognized key: "dockerfil" (did you mean "dockerfile"?)',
      'scenarios.api.smoke: Unrecognized key: "timeout" (did you mean "timeoutMs"?)',
    ].sort(),
  );
});

test('the gate section too, including a rule written in its object form', () => {
  expect(problems(ConfigFileSchema, { gate: { growth: { size: { percnt: '5%', mn: '1 MB' }, buildtime: {} }, scenarios: { app: { maxsize: '1 MB', packages: { mni: 2 } } } } }).sort()).toEqual(
    [
      'gate.growth: Unrecognized key: "buildtime" (did you mean "buildTime"?)',
      'gate.growth.size: Unrecognized keys: "percnt" (did you mean "percent"?), "mn" (did you mean "min"?)',
      'gate.scenarios.app: Unrecognized key: "maxsize" (did you mean "maxSize"?)',
      'gate.scenarios.app.packages: Unrecognized key: "mni" (did you mean "min"?)',
    ].sort(),
  );
});

test('nothing close: zod\'s own message; several keys, only the close ones get a suggestion', () => {
  expect(problems(ScenarioFileSchema, { colour: 1 })).toEqual(['(top level): Unrecognized key: "colour"']);
  expect(problems(ScenarioFileSchema, { colour: 1, netwrok: 'host' })).toEqual(['(top level): Unrecognized keys: "colour", "netwrok" (did you mean "network"?)']);
});
