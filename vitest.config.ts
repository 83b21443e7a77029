import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // e2e/*.e2e.test.ts drive Debian's Chromium against quire serve (see e2e/harness.ts).
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.e2e.test.ts'],
    environment: 'node',
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn processes and open databases: run files in parallel only up to the core count.
    pool: 'forks',
    maxWorkers: 2,
    // A throwaway PostgreSQL server for the PostgreSQL store tests (fails loudly under CI).
    globalSetup: ['test/pg-global-setup.ts'],
  },
});
