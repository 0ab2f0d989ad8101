// `npm run backup -- <file>`: an online copy of the SQLite database, taken while Desk keeps running.
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { isPostgresUrl } from '../fanout/select-fanout.ts';
import { backupSqlite } from './sqlite-backup.ts';

async function main(): Promise<void> {
  const [given] = process.argv.slice(2);
  if (!given) {
    console.error('Usage: npm run backup -- <file>   (an online copy of DATA_DIR/desk.sqlite)');
    process.exit(2);
  }
  if (isPostgresUrl(process.env.DATABASE_URL)) {
    console.error('DATABASE_URL is PostgreSQL: back it up with pg_dump (see the README, "Backups").');
    process.exit(2);
  }
  // npm runs scripts from the package root: a relative name means the caller's directory.
  const target = resolve(process.env.INIT_CWD ?? process.cwd(), given);
  const config = loadConfig();
  const started = performance.now();
  const { pages, inboxRows } = await backupSqlite(config.databaseFile, target);
  const inbox = inboxRows > 0 ? `, with the ${inboxRows} rows of the inbox file` : '';
  console.log(`Backed up ${config.databaseFile} to ${target} (${pages} pages${inbox}, ${Math.round(performance.now() - started)} ms).`);
}

main().catch((error: unknown) => {
  console.error(`[desk] backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
