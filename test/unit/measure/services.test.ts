import { ConfigError } from '../../../harness/errors.js';
import { neededServices } from '../../../harness/measure/services.js';
import { scenario } from './measure-fixtures.js';

const proxy = { name: 'npm-proxy', start: ['true'] };
const db = { name: 'db', start: ['true'] };
const profile = { name: 'offline', services: [db, proxy] };
const FILES = { Dockerfile: 'FROM x\n', 'Dockerfile.single': 'FROM x\n' };

test('only the services a selected scenario needs start, in the profile\'s order; none when no scenario needs one', () => {
  const go = scenario(FILES, {}, 'go');
  const node = scenario(FILES, { profiles: { offline: { services: ['npm-proxy'] } } }, 'node');
  const both = scenario(FILES, { services: ['npm-proxy'], variants: { single: { services: ['db'] } } }, 'both');
  expect(neededServices(profile, [go])).toEqual([]);
  expect(neededServices(profile, [go, node])).toEqual([proxy]);
  expect(neededServices(profile, [both])).toEqual([db, proxy]);
  // Declared for another profile: not needed under this one.
  expect(neededServices({ ...profile, name: 'other' }, [node])).toEqual([]);
});

test('a service the profile does not define is a config error naming both', () => {
  const typo = scenario(FILES, { services: ['npm-prxy'] }, 'node');
  expect(() => neededServices(profile, [typo])).toThrow(ConfigError);
  expect(() => neededServices(profile, [typo])).toThrow('scenario node needs the service "npm-prxy", and profile offline defines "db", "npm-proxy"');
});
