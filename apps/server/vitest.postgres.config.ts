import { defineConfig } from 'vitest/config';

/**
 * The server's integration tests again, on PostgreSQL: every repository through the engine, sync,
 * the channels, the web chat, the jobs and the inbox, each test on a fresh database in the
 * throwaway cluster (test/support/test-db.ts), plus the tests only PostgreSQL has (test/postgres/).
 * Tests about SQLite itself (pragmas, its file, backups, the crash runs on its file) stay in `server`.
 */
export default defineConfig({
  test: {
    name: 'server-postgres',
    root: import.meta.dirname,
    include: [
      'test/engine.test.ts',
      'test/engine-settings-memory.test.ts',
      'test/agent-api.test.ts',
      'test/accounts.test.ts',
      'test/request-security.test.ts',
      'test/sessions-security.test.ts',
      'test/team-notes.test.ts',
      'test/reports.test.ts',
      'test/sync/sync.test.ts',
      'test/sync/push-batch.test.ts',
      'test/sync/snapshot.test.ts',
      'test/sync/bot-talk-sync.test.ts',
      'test/sync/change-log-append.test.ts',
      'test/sync/sync.property.test.ts',
      'test/inbox/*.test.ts',
      'test/jobs/*.test.ts',
      'test/clock/*.test.ts',
      'test/channels/story.test.ts',
      'test/channels/reliability.test.ts',
      'test/channels/outbox-order.test.ts',
      'test/channels/fixtures.test.ts',
      'test/channels/notes-privacy.test.ts',
      'test/channels/channel-peers.test.ts',
      'test/channels/contact-profiles.test.ts',
      'test/zendesk/support-story.test.ts',
      'test/zendesk/messaging-story.test.ts',
      'test/push/web-push.test.ts',
      'test/db/*.test.ts',
      'test/postgres/*.test.ts',
    ],
    env: { DESK_TEST_DB: 'postgres' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['test/support/postgres-global-setup.ts'],
  },
});
