import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ThreadFanout } from '../src/fanout/thread-fanout.ts';
import { must, openTestServices, sampleIntents } from './support/desk-fixture.ts';

/**
 * The engine keeps the intents and the Desk integration in memory (it reads them for every answer).
 * Admins edit them on the request thread; the processing thread is another instance of the services
 * on the same database, told over the fan-out bus. Here both run in this process, joined by a
 * MessageChannel as the two threads are.
 */
type Instance = Awaited<ReturnType<typeof openTestServices>>;
let dataDir: string;
let admin: Instance;
let processing: Instance;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'desk-settings-memory-'));
  const { port1, port2 } = new MessageChannel();
  const adminBus = new ThreadFanout(port1);
  const processingBus = new ThreadFanout(port2);
  await adminBus.start();
  await processingBus.start();
  admin = await openTestServices({ dataDir, fanout: adminBus });
  processing = await openTestServices({ dataDir, fanout: processingBus });
});
afterEach(async () => {
  for (const instance of [admin, processing]) {
    await instance.services.fanout.close();
    await instance.db.close();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

let n = 0;
const hello = (externalId: string) => ({ channel: 'telegram' as const, externalId, text: 'hello', channelMessageId: `${externalId}:${++n}` });

describe('settings the engine keeps in memory', () => {
  it('follows an admin who switches on the hand-off of an intent on another thread', async () => {
    const greeting = must((await Promise.all(sampleIntents().map((intent) => admin.services.intents.create(intent)))).find((i) => i.name === 'Greeting'));
    await admin.services.startRetrainBot();
    await processing.services.retrainBot();

    // Read (and kept) by the processing thread's engine before the edit.
    const before = await processing.services.engine.handleInbound(hello('5001'));
    expect(before.reply?.text).toMatch(/virtual assistant/);
    expect(before.ticket).toBeNull();

    await admin.services.intents.update(greeting.id, { desk: { ...greeting.desk, enabled: true } });
    await admin.services.startRetrainBot();
    await expect.poll(async () => (await processing.services.intents.get(greeting.id))?.desk.enabled).toBe(true);
    // The phrases did not change: the model the processing thread has answers as before.
    const handedOff = await processing.services.engine.handleInbound(hello('5002'));
    expect(handedOff.ticket?.status).toBe('new');
  });

  it('follows an admin who switches the Desk integration off on another thread', async () => {
    for (const intent of sampleIntents()) await admin.services.intents.create(intent.name === 'Greeting' ? { ...intent, desk: { ...intent.desk, enabled: true } } : intent);
    await processing.services.retrainBot();
    // A turn the bot does not understand reads the integration too (the offer of a person): now it is kept.
    expect((await processing.services.engine.handleInbound({ ...hello('5101'), text: 'zzz qqq' })).ticket).toBeNull();

    await admin.services.integration.put({ subject: 'Desk', tags: ['desk'], enabled: false });
    await expect.poll(async () => (await processing.services.integration.get()).enabled).toBe(false);
    const integrationOff = await processing.services.engine.handleInbound(hello('5102'));
    expect(integrationOff.reply?.text).toMatch(/virtual assistant/);
    expect(integrationOff.ticket).toBeNull();
  });

  it('follows its own writes at once, and a rolled-back edit is not remembered', async () => {
    const { services } = processing;
    const [greeting] = await Promise.all(sampleIntents().slice(0, 1).map((intent) => services.intents.create(intent)));
    await services.retrainBot();
    await services.nlu.whenIdle();
    expect((await services.engine.handleInbound(hello('6001'))).ticket).toBeNull();

    await services.db
      .transaction(async () => {
        await services.intents.update(must(greeting).id, { desk: { ...must(greeting).desk, enabled: true } });
        expect((await services.intents.get(must(greeting).id))?.desk.enabled).toBe(true);
        throw new Error('the admin’s request failed');
      })
      .catch(() => undefined);
    expect((await services.engine.handleInbound(hello('6002'))).ticket).toBeNull();

    await services.intents.update(must(greeting).id, { desk: { ...must(greeting).desk, enabled: true } });
    expect((await services.engine.handleInbound(hello('6003'))).ticket?.status).toBe('new');
  });
});
