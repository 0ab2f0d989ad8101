import { inboxFileOf, moveInboxRows } from '../inbox/inbox-file.ts';
import { CompiledQuery, sql } from 'kysely';
import { type Database, openDatabase, openPostgres } from './database.ts';
import type { DB } from './schema.ts';

/**
 * Every table, parents before children (foreign keys), and what `migrate-to-postgres` copies.
 * `job_leases` is left out: a lease belongs to the process that took it, which is the one stopping.
 */
export const COPIED_TABLES = [
  'agents',
  'sessions',
  'password_tokens',
  'contacts',
  'contact_identities',
  'intents',
  'conversations',
  'tickets',
  'messages',
  'ticket_reads',
  'notes',
  'canned_replies',
  'settings',
  'change_log',
  'sync_clients',
  'sync_mutations',
  'outbox',
  'push_subscriptions',
  'media',
  'channel_media_jobs',
  'channel_peers',
  'external_handoffs',
  'handoff_jobs',
  'zendesk_ticket_updates',
  'handoff_relayed',
  'inbox',
  'webchat_visitors',
  'upload_ledger',
  'login_failures',
  'bot_turns',
  'report_hourly',
  'report_daily',
  'report_conversations',
  'report_tickets',
  'bot_misses',
] as const satisfies readonly (keyof DB)[];

/** Tables whose numbers come from a sequence on PostgreSQL: it continues after the copied rows. */
const SERIALS: Partial<Record<(typeof COPIED_TABLES)[number], string>> = {
  messages: 'rowid',
  change_log: 'seq',
  outbox: 'id',
  push_subscriptions: 'rowid',
  channel_media_jobs: 'id',
  handoff_jobs: 'id',
  inbox: 'id',
};

/** SQLite's implicit rowid becomes the PostgreSQL column of the same name (insertion order). */
const WITH_ROWID = new Set<string>(['messages', 'push_subscriptions']);

const BATCH = 500;

export interface MigrationReport {
  tables: { table: string; rows: number }[];
  /** The change log's head on both sides (devices keep their cursors and the epoch). */
  head: number;
  ms: number;
}

/**
 * Copies a SQLite database (upgraded to the newest schema first) into an empty PostgreSQL one, in
 * one transaction, then checks every table's row count on both sides. Every id, ticket number,
 * change-log sequence number and setting (the sync epoch among them) is kept, so agents' devices
 * go on syncing from their cursors. Refuses a PostgreSQL database that already holds data.
 */
export async function migrateToPostgres(sqliteFile: string, postgresUrl: string): Promise<MigrationReport> {
  const started = performance.now();
  const source = openDatabase(sqliteFile);
  let target: Database | null = null;
  try {
    target = await openPostgres(postgresUrl, { applicationName: 'desk-migrate-to-postgres' });
    const into = target;
    for (const table of COPIED_TABLES) {
      const { n } = await into.q.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(n) > 0) throw new Error(`PostgreSQL is not empty: ${table} has ${n} rows. Migrate into a new, empty database.`);
    }
    const raw = source.sqlite;
    if (!raw) throw new Error('The source must be a SQLite database.');
    // The inbox's own file (the processing thread's, inbox/inbox-file.ts): its rows are copied with the database's.
    moveInboxRows(raw, inboxFileOf(sqliteFile));
    const sqliteHead = (raw.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'").get() as { seq: number } | undefined)?.seq ?? 0;
    await into.transaction(async (q) => {
      for (const table of COPIED_TABLES) {
        // Read after the last rowid seen rather than at an OFFSET: each batch starts where the last one
        // ended instead of stepping over every row before it again (a large table copies in linear time).
        const select = `SELECT rowid AS desk_copy_rowid, ${WITH_ROWID.has(table) ? 'rowid AS rowid, ' : ''}* FROM "${table}" WHERE rowid > ? ORDER BY rowid LIMIT ?`;
        const read = raw.prepare(select);
        for (let after = Number.MIN_SAFE_INTEGER; ; ) {
          const rows = read.all(after, BATCH) as Record<string, unknown>[];
          if (rows.length === 0) break;
          after = Number((rows.at(-1) as Record<string, unknown>).desk_copy_rowid);
          for (const row of rows) delete row.desk_copy_rowid;
          const columns = Object.keys(rows[0] as Record<string, unknown>);
          const values: unknown[] = [];
          const tuples = rows.map((row) => `(${columns.map((column) => `$${values.push(row[column])}`).join(', ')})`);
          await q.executeQuery(CompiledQuery.raw(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`, values));
        }
        const serial = SERIALS[table];
        if (serial) {
          // The sequence continues after the highest number copied (the change log: after SQLite's head).
          const floor = table === 'change_log' ? sqliteHead : 0;
          await sql`SELECT setval(pg_get_serial_sequence(${table}, ${serial}), GREATEST(${floor}, (SELECT COALESCE(MAX(${sql.ref(serial)}), 0) FROM ${sql.table(table)}), 1))`.execute(q);
        }
      }
    });
    const tables: MigrationReport['tables'] = [];
    for (const table of COPIED_TABLES) {
      const inSqlite = (raw.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
      const { n } = await into.q.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(n) !== inSqlite) throw new Error(`Row counts differ for ${table}: SQLite ${inSqlite}, PostgreSQL ${n}.`);
      tables.push({ table, rows: inSqlite });
    }
    return { tables, head: sqliteHead, ms: performance.now() - started };
  } finally {
    await target?.close();
    await source.close();
  }
}
