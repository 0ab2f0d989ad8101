import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/conversations/conversations-repo.ts';
import { createTestDesk, must, type TestDesk } from '../support/desk-fixture.ts';
import { statementsDuring } from '../support/statement-count.ts';

let t: TestDesk;
beforeEach(async () => {
  t = await createTestDesk();
});
afterEach(() => t.close());

/** A Telegram conversation with nothing queued yet. */
async function conversation(chat: string): Promise<ConversationRecord> {
  const contact = await t.services.contacts.create({ name: `Chat ${chat}` }, { channel: 'telegram', externalId: chat });
  return t.services.conversations.create({ contactId: contact.id, channel: 'telegram', externalId: chat });
}

/**
 * The outbox's cost per reply is SQLite's work on the processing thread, which the engine needs
 * too: a reply queued by this instance must not quietly grow a claim (a look at every pending row)
 * or reads of what the engine already had. SQLite only (this file is not in the PostgreSQL project,
 * whose instances claim every first reply).
 */
describe('statements per reply sent', () => {
  it('sends replies queued behind one another without claiming them from the table or reading them back', async () => {
    const [a, b] = await Promise.all([conversation('71'), conversation('72')]);
    const sent: string[] = [];
    t.services.outbox.register({
      channel: 'telegram',
      async sendText(c: ConversationRecord, text: string) {
        // A platform call returns in a later turn of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
        sent.push(`${c.externalId}:${text}`);
        return { channelMessageId: `${c.externalId}:${text}` };
      },
    });
    // Started, the outbox looks at the table once (what a previous run left): done before the count.
    t.services.outbox.start();
    await new Promise((resolve) => setImmediate(resolve));
    await t.services.outbox.idle();
    const allSent = new Promise<void>((resolve) => {
      let count = 0;
      t.services.events.on('message.updated', ({ message }) => {
        if (message.delivery?.state === 'sent' && ++count === 4) resolve();
      });
    });
    const sources: string[] = [];
    await statementsDuring(
      must(t.services.db.sqlite),
      async () => {
        const replies = await t.services.db.transaction(async () => [
          await t.services.engine.appendOutbound(a, { authorKind: 'bot', text: 'a-1', ticketId: null }),
          await t.services.engine.appendOutbound(a, { authorKind: 'bot', text: 'a-2', ticketId: null }),
          await t.services.engine.appendOutbound(a, { authorKind: 'bot', text: 'a-3', ticketId: null }),
          await t.services.engine.appendOutbound(b, { authorKind: 'bot', text: 'b-1', ticketId: null }),
        ]);
        await allSent;
        expect(replies).toHaveLength(4);
      },
      sources,
    );
    expect(sent.filter((s) => s.startsWith('71:'))).toEqual(['71:a-1', '71:a-2', '71:a-3']);
    expect(sent).toContain('72:b-1');
    // a-2 and a-3 were handed over as a-1 and a-2 were marked sent: no claim looked at the pending rows.
    expect(sources.filter((sql) => /from "outbox" as "o"/i.test(sql))).toEqual([]);
    // What to send came with each row: neither the messages nor their conversation were read back.
    expect(sources.filter((sql) => /^select .* from "(messages|conversations)" where "id" = \?$/i.test(sql))).toEqual([]);
    // Today's count of statements on the messages and the outbox (how the commits group them depends on
    // when each call returns): 4 messages, 1 insert of the 4 rows, 4 marks, 2 hand-overs, 4 delivery
    // states. Lower it when a change saves statements, never raise it without a reason.
    expect(sources.filter((sql) => /^(insert into|update) "(messages|outbox)"/i.test(sql))).toHaveLength(15);
  });
});
