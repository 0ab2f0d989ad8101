import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { serve } from '@hono/node-server';
import { ensureFirstAdmin, generatePassword } from './accounts/bootstrap-admin.ts';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { startCheckpointer } from './db/checkpointer.ts';
import { openConfiguredDatabase } from './db/database.ts';
import { DEMO_AGENTS, seedDemo } from './demo/seed.ts';
import { selectFanout } from './fanout/select-fanout.ts';
import { ThreadFanout } from './fanout/thread-fanout.ts';
import { AcksWaiting } from './inbox/acks-waiting.ts';
import { InboxWriter } from './inbox/inbox-writer.ts';
import { inboxFileOf, moveInboxRows, openInboxFile } from './inbox/inbox-file.ts';
import { type DrainableJob, drainServer } from './lifecycle/graceful-shutdown.ts';
import { ProcessingThread } from './lifecycle/processing-thread.ts';
import { RequestGate } from './lifecycle/request-gate.ts';
import { StreamHangups } from './lifecycle/stream-hangups.ts';
import { createServices } from './services.ts';
import { guardAgainstRestore } from './sync/restore-guard.ts';

/** In demo mode the generated admin password is kept in DATA_DIR so every start can print it. */
function demoPassword(dataDir: string, fromEnv: string | null): string {
  if (fromEnv) return fromEnv;
  const file = join(dataDir, 'demo-admin-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = generatePassword();
  writeFileSync(file, password, { mode: 0o600 });
  chmodSync(file, 0o600);
  return password;
}

async function main() {
  const config = loadConfig();
  // On PostgreSQL no database file creates DATA_DIR, yet it still holds the restore guard's mark (and the demo password).
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  // DATABASE_URL=postgres://…: PostgreSQL (several instances may share it); otherwise SQLite in DATA_DIR.
  const db = await openConfiguredDatabase(config);
  // The queues run in a processing thread of their own, except under the test clock: its setting is this thread's.
  const threaded = config.processingThread && !config.testClock;
  // SQLite: the processing thread is the one other instance, and the pokes cross a MessageChannel.
  // DATABASE_URL=postgres://…: the streams' pokes reach the other instances (and that thread) through LISTEN/NOTIFY.
  const threadChannel = threaded && db.dialect === 'sqlite' ? new MessageChannel() : null;
  const fanout = threadChannel ? new ThreadFanout(threadChannel.port1) : selectFanout();
  await fanout.start();
  // SQLite shared with the processing thread: the webhooks' inserts never sleep on its write lock.
  const acksWaiting = new AcksWaiting();
  // ...and the inbox has a file of its own (inbox/inbox-file.ts); without the thread it is back in the database.
  const inboxFile = inboxFileOf(config.databaseFile);
  const inboxStore = threadChannel ? openInboxFile(inboxFile) : null;
  if (inboxStore?.sqlite) moveInboxRows(inboxStore.sqlite, config.databaseFile);
  else if (db.sqlite) moveInboxRows(db.sqlite, inboxFile);
  // WAL checkpoints (and their fsync) run in a worker thread, never in a webhook's commit nor in a
  // batch's: the database's, and the inbox file's (the processing thread marks its rows done there).
  const checkpointer = db.sqlite
    ? startCheckpointer([{ db: db.sqlite, file: config.databaseFile }, ...(inboxStore?.sqlite ? [{ db: inboxStore.sqlite, file: inboxFile }] : [])])
    : null;
  const inboxWriter = threadChannel ? new InboxWriter(inboxFile, acksWaiting) : null;
  const services = await createServices(db, config, fanout, inboxWriter && inboxStore ? { inboxWriter, inboxStore } : {});
  // A database restored from a backup is behind what clients have seen: they must re-bootstrap.
  const restore = await guardAgainstRestore(db, services.changes, config.dataDir);
  if (restore.rotated) console.log('  The database is older than the last change served: clients will re-sync from scratch.');
  const password = config.demo ? demoPassword(config.dataDir, config.adminPassword) : config.adminPassword;
  const admin = await ensureFirstAdmin(services.agents, config.adminEmail, password);
  if (config.demo) await seedDemo(services, password as string);

  // Stores what the webhooks left in the inbox (a previous run's too), in batches through the engine,
  // and delivers what a previous run left queued, then whatever new messages queue: in the processing
  // thread, or here (PROCESSING_THREAD=0, the test clock, or a thread that could not start or died).
  const runQueuesHere = () => {
    services.inboxProcessor.start();
    services.outbox.start();
  };
  let thread: ProcessingThread | null = null;
  if (threaded) {
    thread = await ProcessingThread.start({ fanoutPort: threadChannel?.port2 ?? null, acksWaiting, fanout, metrics: services.metrics, onLost: runQueuesHere }).catch(
      (error: unknown) => {
        console.error('[desk] the processing thread could not start: the queues run on the request thread', error);
        return null;
      },
    );
  }
  if (!thread) runQueuesHere();
  // Resumes the file downloads from messaging platforms that a previous run left queued (both threads
  // take them, as instances do: each runs what it queued, claims keep a job to one).
  services.channels.start();
  // Resumes the calls to Zendesk and Sunshine that a previous run left queued.
  services.zendesk.start();
  // MEDIA_RETENTION_DAYS: files of long-solved tickets are deleted every hour.
  const stopRetention = services.mediaRetention?.start();
  // The misses inbox keeps entries for the retention setting (default 90 days), checked every hour.
  services.missesRetention.start();
  // The webhooks' own inbox connection (SQLite with the processing thread): how long its inserts waited for the write lock.
  if (inboxWriter) services.metrics.countInsertLockWaits(() => inboxWriter.lockWaitSeconds);
  const gate = new RequestGate();
  const streams = new StreamHangups();
  const app = createApp(services, { outermost: [gate.middleware(), streams.middleware()] });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const url = config.publicUrl;
    console.log(`\n  Desk is running at ${url}  (listening on ${info.address}:${info.port})`);
    if (config.testClock) console.warn('  DESK_TEST_CLOCK=1: the test clock is on (PUT /api/test/clock). Never in production.');
    if (config.demo) {
      console.log(`  Admin login: ${config.adminEmail} / ${password}`);
      console.log(`  Demo agents: ${DEMO_AGENTS.map((a) => a.email).join(', ')} (same password)`);
      console.log(`  Web chat demo: ${url}/demo\n`);
    } else if (admin.generatedPassword) {
      console.log(`  First admin created: ${config.adminEmail} / ${admin.generatedPassword}  (shown once: change it)\n`);
    }
  });

  // Stopped, the work under way finishes (a send or download cut off would be repeated after a restart).
  const jobs: DrainableJob[] = [
    ...(thread ? [{ name: 'processing thread', stop: () => thread.stop(), idle: () => thread.idle() }] : []),
    { name: 'inbox processor', stop: () => services.inboxProcessor.stop(), idle: () => services.inboxProcessor.idle() },
    { name: 'outbox', stop: () => services.outbox.stop(), idle: () => services.outbox.idle() },
    { name: 'media downloads', stop: () => services.channels.stop(), idle: () => services.channels.mediaWorker.idle() },
    { name: 'Zendesk calls', stop: () => services.zendesk.stop(), idle: () => services.zendesk.idle() },
  ];
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`  ${signal}: draining (requests, streams and jobs; ${config.shutdownGraceMs / 1000} s at most)`);
    stopRetention?.();
    try {
      await restore.stop();
      // serve() gives an http.Server here: no TLS or HTTP/2 options are passed to it.
      const drained = await drainServer({ server: server as Server, gate, streams, jobs, boundMs: config.shutdownGraceMs });
      const cut = drained.cutShort.length > 0 ? `; cut short: ${drained.cutShort.join(', ')}` : '';
      console.log(`  Drained in ${drained.ms} ms${cut}`);
      await fanout.close();
      // The checkpointer's last checkpoint runs on the connections it was given: before they close.
      await checkpointer?.stop();
      inboxWriter?.close();
      await inboxStore?.close();
      await db.close();
    } catch (error) {
      console.error('[desk] the shutdown failed', error);
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error('[desk] failed to start', err);
  process.exit(1);
});
