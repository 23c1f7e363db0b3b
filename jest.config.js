/**
 * Jest transpiles the TypeScript sources file by file (no type-check here: `npm test` runs
 * `tsc --noEmit` first, once, for the whole project).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFiles: ['<rootDir>/test/helpers/setup-env.ts'],
  testTimeout: 60000,
  // Integration suites each start five servers and seed a database: two at a time suits a 2-core machine.
  maxWorkers: 2,
};
