import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../db/database.ts';
import { selectFanout } from '../fanout/select-fanout.ts';
import { ThreadFanout } from '../fanout/thread-fanout.ts';
import { AckPressureShare } from '../inbox/ack-pressure.ts';
import { AcksWaiting } from '../inbox/acks-waiting.ts';
import { inboxFileOf, openInboxFile } from '../inbox/inbox-file.ts';
import { createServices } from '../services.ts';
import type { FromProcessingThread, ToProcessingThread } from './thread-messages.ts';

/**
 * The processing thread's pokes (sync cursors for the agents' streams, web chat answers) cross to the
 * request thread at most once per this long: under load that thread posts ~1 message per reply batch,
 * each a structured clone and a wake-up on both sides (2.5 % of its time at 300 replies/s with 2 ms).
 * A stream hears of a commit at most this much later; the webhooks' kicks the other way keep 2 ms.
 */
const POKE_GAP_MS = 8;

/** What the request thread hands over: on SQLite, its end of the fan-out channel (PostgreSQL: null, LISTEN/NOTIFY carries it). */
export interface ProcessingThreadData {
  fanoutPort: MessagePort | null;
  /** AcksWaiting's memory (inbox/acks-waiting.ts). */
  acksWaiting: SharedArrayBuffer;
}

/**
 * The processing thread (see processing-thread.ts): its own connection to the database and its own
 * services, running the inbox processor, the outbox and the media and Zendesk queues. To the request
 * thread it is another instance: pokes cross on the fan-out bus, settings changes too.
 */
async function run(port: MessagePort): Promise<void> {
  const data = workerData as ProcessingThreadData;
  const tell = (message: FromProcessingThread) => port.postMessage(message);
  const config = loadConfig();
  const db = await openConfiguredDatabase(config);
  // The webhooks' inserts change the file between two of this thread's transactions, and SQLite then
  // drops the connection's page cache: read the database file through a memory map instead of copies.
  db.sqlite?.pragma('mmap_size = 268435456');
  // The request thread's checkpointer (db/checkpointer.ts) checkpoints the file: a batch's commit never
  // does (one that grew the WAL past 1,000 pages synced the database file, stalling the processor).
  db.sqlite?.pragma('wal_autocheckpoint = 0');
  const fanout = data.fanoutPort ? new ThreadFanout(data.fanoutPort, { minGapMs: POKE_GAP_MS }) : selectFanout();
  await fanout.start();
  const share = new AckPressureShare(new AcksWaiting(data.acksWaiting));
  // SQLite: the inbox's own file, which the request thread's webhooks fill (inbox/inbox-file.ts).
  const inboxStore = db.sqlite ? openInboxFile(inboxFileOf(config.databaseFile)) : null;
  // Its commits (a batch's rows marked done) never checkpoint the inbox file either: the request
  // thread's checkpointer does, else this thread paid the sync of the inbox file every 1,000 pages.
  inboxStore?.sqlite?.pragma('wal_autocheckpoint = 0');
  // The request thread released a killed run's claims before this thread started; its own may be under way now.
  const services = await createServices(db, config, fanout, { releaseDeadLeases: false, processorShare: share, ...(inboxStore && { inboxStore }) });
  const queues = [
    { stop: () => services.inboxProcessor.stop(), idle: () => services.inboxProcessor.idle() },
    { stop: () => services.outbox.stop(), idle: () => services.outbox.idle() },
    { stop: () => services.channels.stop(), idle: () => services.channels.mediaWorker.idle() },
    { stop: () => services.zendesk.stop(), idle: () => services.zendesk.idle() },
  ];
  const drain = async () => {
    for (const queue of queues) queue.stop();
    await Promise.all(queues.map((queue) => queue.idle()));
    await fanout.close();
    await inboxStore?.close();
    await db.close();
    tell({ type: 'drained' });
  };
  port.on('message', (message: ToProcessingThread) => {
    switch (message.type) {
      case 'pressure':
        share.heard(message.report);
        return;
      case 'metrics':
        void services.metrics.processingCounts().then((metrics) => tell({ type: 'metrics', id: message.id, metrics }));
        return;
      case 'drain':
        drain().catch((error: unknown) => {
          console.error('[desk] draining the processing thread failed', error);
          tell({ type: 'drained' });
        });
        return;
      default:
        message satisfies never;
    }
  });
  services.inboxProcessor.start();
  services.outbox.start();
  services.channels.start();
  services.zendesk.start();
  tell({ type: 'ready' });
}

if (parentPort) {
  const port = parentPort;
  run(port).catch((error: unknown) => {
    console.error('[desk] the processing thread failed to start', error);
    port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies FromProcessingThread);
  });
}
