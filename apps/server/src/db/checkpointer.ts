import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const dbs = workerData.files.map((file) => {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  return db;
});
const timer = setInterval(() => {
  for (const db of dbs) {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (err) {
      parentPort.postMessage({ error: db.name + ': ' + String(err && err.message || err) });
    }
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  for (const db of dbs) db.close();
  parentPort.close();
});
`;

/** A SQLite file to checkpoint, and this thread's connection to it (which stops checkpointing in its commits). */
export interface CheckpointedFile {
  db: BetterSqlite3.Database;
  file: string;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. SQLite checkpoints on the commit that grows
 * the WAL past 1,000 pages, and a checkpoint syncs the database file: on a busy disk that is tens
 * or hundreds of milliseconds during which no webhook is answered. Here the server's connections
 * stop checkpointing and a worker thread, with its own connection to each file (the database, and
 * the inbox's own file when the processing thread runs), runs a passive checkpoint (which never
 * blocks the writer) every `everyMs`. Every other connection to these files must set
 * `wal_autocheckpoint = 0` too: a commit of any connection may checkpoint otherwise.
 */
export function startCheckpointer(files: CheckpointedFile[], everyMs = 500): { stop(): Promise<void> } {
  for (const { db } of files) db.pragma('wal_autocheckpoint = 0');
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, files: files.map((f) => f.file), everyMs } });
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
      // The last frames go into the database files before they are closed.
      for (const { db } of files) if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
    },
  };
}
