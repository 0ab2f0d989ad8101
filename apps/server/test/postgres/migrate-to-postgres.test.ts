import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, openPostgres } from '../../src/db/database.ts';
import { migrateToPostgres } from '../../src/db/migrate-to-postgres.ts';
import { readSetting } from '../../src/db/settings-store.ts';
import { createServices } from '../../src/services.ts';
import { logHead } from '../../src/sync/change-feed.ts';
import { sampleIntents } from '../support/desk-fixture.ts';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/test-database.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!postgresUrl() || process.env.DESK_TEST_DB !== 'postgres')('migrate-to-postgres', () => {
  it('copies a SQLite desk into an empty PostgreSQL one, keeping tickets, messages, the sync epoch, cursors and settings', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'desk-migrate-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const config = loadConfig({ DATA_DIR: dataDir, WEB_DIST: join(dataDir, 'none') });

    // A SQLite desk with a hand-off, an agent's reply, a solved ticket and a setting.
    const sqlite = openDatabase(config.databaseFile);
    const before = await createServices(sqlite, config);
    for (const intent of sampleIntents()) await before.intents.create(intent);
    await before.retrainBot();
    const agent = await before.agents.create({ name: 'Ana', email: 'ana@test.local', role: 'agent', passwordHash: null });
    await before.engine.handleInbound({ channel: 'webchat', externalId: 'visitor-1', text: 'I want to talk to a person' });
    const handedOff = await before.engine.handleInbound({ channel: 'telegram', externalId: '42', text: 'I want to talk to a person' });
    const ticket = handedOff.ticket;
    if (!ticket) throw new Error('no hand-off');
    await before.engine.reply({ ticketId: ticket.id, agentId: agent.id, text: 'Hi, Ana here.' });
    await before.ticketService.changeTicket(ticket.id, { status: 'solved' }, agent.id);
    await before.integration.put({ subject: 'Acme', tags: ['desk'], enabled: true });
    const epoch = await readSetting(sqlite, 'sync_epoch');
    const head = await logHead(sqlite);
    const tickets = await before.tickets.list({ statuses: [], priorities: [], assignees: [], text: '' }, { limit: 50, offset: 0 });
    const messages = await before.messages.listByTicket(ticket.id);
    before.outbox.stop();
    await before.push.flush();
    await sqlite.close();

    const target: TestDatabase = await createTestDatabase('migrate');
    cleanups.push(() => target.drop());
    const report = await migrateToPostgres(config.databaseFile, target.url);
    expect(report.tables.find((t) => t.table === 'tickets')?.rows).toBe(2);
    expect(report.tables.find((t) => t.table === 'messages')?.rows).toBe(messages.length + 2);
    expect(report.head).toBe(head);

    // Desk on PostgreSQL: the same tickets and messages, the same epoch and log head.
    const pg = await openPostgres(target.url);
    const after = await createServices(pg, config);
    cleanups.push(async () => {
      after.outbox.stop();
      await after.push.flush();
      await pg.close();
    });
    expect(await readSetting(pg, 'sync_epoch')).toBe(epoch);
    expect(await logHead(pg)).toBe(head);
    expect(await after.tickets.list({ statuses: [], priorities: [], assignees: [], text: '' }, { limit: 50, offset: 0 })).toEqual(tickets);
    expect(await after.messages.listByTicket(ticket.id)).toEqual(messages);
    expect((await after.integration.get()).subject).toBe('Acme');
    // Life goes on: the next ticket number and change-log sequence number follow the copied ones.
    const next = await after.engine.handleInbound({ channel: 'telegram', externalId: '43', text: 'I want to talk to a person' });
    expect(next.ticket?.number).toBe(Math.max(...tickets.tickets.map((t) => t.number)) + 1);
    expect(await logHead(pg)).toBeGreaterThan(head);

    // A second run refuses a database that is no longer empty.
    await expect(migrateToPostgres(config.databaseFile, target.url)).rejects.toThrow(/not empty/);
  });
});
