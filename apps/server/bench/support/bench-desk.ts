import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { demoIntents } from '../../src/demo/demo-intents.ts';
import { createServices } from '../../src/services.ts';

/** Desk's services in-process on a fresh SQLite file in a temporary folder, with the demo intents trained. */
export async function openBenchDesk(label: string) {
  const dir = mkdtempSync(join(tmpdir(), `desk-bench-${label}-`));
  const config = loadConfig({ DATA_DIR: join(dir, 'data'), WEB_DIST: join(dir, 'none') });
  const db = openDatabase(config.databaseFile);
  const raw = db.sqlite as NonNullable<typeof db.sqlite>;
  const services = await createServices(db, config);
  for (const intent of demoIntents(null)) await services.intents.create(intent);
  return { dir, config, db, raw, services };
}
