import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'server',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // A throwaway PostgreSQL cluster for the run (DESK_TEST_DATABASE_URL when given).
    globalSetup: ['test/support/postgres-global-setup.ts'],
  },
});
