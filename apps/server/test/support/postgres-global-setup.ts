import type { TestProject } from 'vitest/node';
import { findPostgresBin, startThrowawayCluster } from '../../../../scripts/postgres/throwaway-cluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster's `desk` database; null when no PostgreSQL is available (tests skip). */
    databaseUrl: string | null;
  }
}

/**
 * Vitest global setup: one throwaway PostgreSQL cluster for the whole server run (tests make their
 * own database in it with `createTestDatabase`). DESK_TEST_DATABASE_URL, when set, is used instead.
 * `npm test` sets DESK_REQUIRE_POSTGRES=1 after making sure the binaries are installed, so there a
 * missing cluster fails the run instead of skipping the PostgreSQL tests.
 */
export default async function setup(project: TestProject) {
  const given = process.env.DESK_TEST_DATABASE_URL;
  if (given) {
    project.provide('databaseUrl', given);
    return;
  }
  if (!findPostgresBin()) {
    if (process.env.DESK_REQUIRE_POSTGRES === '1') throw new Error('PostgreSQL binaries are missing: apt-get install -y postgresql');
    console.warn('[desk] no PostgreSQL binaries (apt-get install -y postgresql): the PostgreSQL tests are skipped');
    project.provide('databaseUrl', null);
    return;
  }
  const cluster = await startThrowawayCluster();
  // Test files read it through inject('databaseUrl'); servers they spawn inherit the variable.
  process.env.DESK_TEST_DATABASE_URL = cluster.url;
  project.provide('databaseUrl', cluster.url);
  return async () => {
    delete process.env.DESK_TEST_DATABASE_URL;
    await cluster.stop();
  };
}
