// `npm run migrate-to-postgres -- [--from <desk.sqlite>] [--to <postgres://…>]`: copies the SQLite
// database into an empty PostgreSQL one and checks every table's row count. Stop Desk first.
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { isPostgresUrl } from '../fanout/select-fanout.ts';
import { migrateToPostgres } from './migrate-to-postgres.ts';

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const from = option('--from');
  const source = from ? resolve(process.env.INIT_CWD ?? process.cwd(), from) : config.databaseFile;
  const target = option('--to') ?? process.env.DATABASE_URL;
  if (!isPostgresUrl(target)) {
    console.error('Usage: npm run migrate-to-postgres -- --to postgres://user@host/db   [--from DATA_DIR/desk.sqlite]');
    console.error('       (or set DATABASE_URL to the empty PostgreSQL database)');
    process.exit(2);
  }
  const report = await migrateToPostgres(source, target);
  for (const { table, rows } of report.tables) console.log(`  ${table.padEnd(24)} ${String(rows).padStart(9)} rows`);
  console.log(`Copied ${source} into PostgreSQL in ${Math.round(report.ms)} ms; every row count matches. Change log head: ${report.head}.`);
  console.log('Start Desk with DATABASE_URL set to it: devices keep their cursors and settings (same sync epoch).');
}

main().catch((error: unknown) => {
  console.error(`[desk] migrate-to-postgres failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
