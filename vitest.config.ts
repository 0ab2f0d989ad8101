import { defineConfig } from 'vitest/config';

/** One Vitest run over every package; each project keeps its own config. */
export default defineConfig({
  test: {
    // The server's integration tests run on SQLite (apps/server) and again on PostgreSQL.
    projects: ['packages/*', 'apps/*', 'apps/server/vitest.postgres.config.ts'],
  },
});
