import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Moves SQLite's WAL checkpoints off the event loop. SQLite checkpoints on the commit that grows
 * the WAL past 1,000 pages, and a checkpoint syncs the database file: on a busy disk that is tens
 * or hundreds of milliseconds during which no webhook is answered. Here the server's connection
 * stops checkpointing and a worker thread, with its own connection, runs a passive checkpoint
 * (which never blocks the writer) every `everyMs`.
 */
export function startCheckpointer(db: BetterSqlite3.Database, file: string, everyMs = 500): { stop(): Promise<void> } {
  db.pragma('wal_autocheckpoint = 0');
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, file, everyMs } });
  worker.unref();
  worker.on('message', (message: { error?: string }) => {
    if (message.error) console.warn(`[desk] WAL checkpoint failed: ${message.error}`);
  });
  worker.on('error', (err) => console.error('[desk] the checkpoint worker failed', err));
  return {
    async stop() {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      // The last frames go into the database file before it is closed.
      db.pragma('wal_checkpoint(PASSIVE)');
    },
  };
}
