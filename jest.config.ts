import type { Config } from 'jest';

// ESM throughout (execa is ESM-only): ts-jest compiles to ESM and jest runs with --experimental-vm-modules.
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
} satisfies Config;

const config: Config = {
  // One test file at a time: integration tests share one Docker engine, and `stagebench clean` removes
  // every image stagebench labelled, including another file's build in flight.
  maxWorkers: 1,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    // Real builds on the real daemon.
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'], slowTestThreshold: 60 },
    // Faults and bad input against the real daemon (issue 13): each case its own named test.
    { ...shared, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'], slowTestThreshold: 60 },
  ],
};

export default config;
