import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn processes and open databases: run files in parallel only up to the core count.
    pool: 'forks',
    maxWorkers: 2,
    // A throwaway PostgreSQL server for the PostgreSQL store tests (fails loudly under CI).
    globalSetup: ['test/pg-global-setup.ts'],
  },
});
