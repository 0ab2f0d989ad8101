import type { Page } from '@playwright/test';

interface BenchDb {
  tickets: { bulkPut(rows: unknown[]): Promise<unknown>; count(): Promise<number> };
  contacts: { bulkPut(rows: unknown[]): Promise<unknown> };
  messages: { bulkPut(rows: unknown[]): Promise<unknown>; count(): Promise<number> };
}
type BenchWindow = Window & { __deskBench?: { localSync(): { db: BenchDb; agentId: string } | null } };

/**
 * Seeds `count` tickets, each with a requester and `messagesPerTicket` messages (the newest last),
 * through the app's open database (the page must be a `?bench` page of the signed-in agent). Ticket
 * ids are `bench-t<i>`; the newest ticket is `bench-t<count - 1>`.
 */
export async function seedTickets(page: Page, count: number, messagesPerTicket = 1): Promise<{ tickets: number; messages: number }> {
  return page.evaluate(
    async ({ total, perTicket }) => {
      const w = window as BenchWindow;
      for (let i = 0; i < 400 && !w.__deskBench?.localSync(); i++) await new Promise((r) => setTimeout(r, 25));
      const sync = w.__deskBench?.localSync();
      if (!sync) throw new Error('bench hooks not loaded: is apps/web/dist a fresh build?');
      const statuses = ['new', 'open', 'pending', 'on-hold', 'solved'];
      const priorities = ['low', 'normal', 'high', 'urgent'];
      const start = Date.now() - total * 60_000;
      const chunk = Math.max(100, Math.floor(50_000 / perTicket));
      for (let from = 0; from < total; from += chunk) {
        const tickets = [];
        const contacts = [];
        const messages = [];
        for (let i = from; i < Math.min(total, from + chunk); i++) {
          const at = new Date(start + i * 60_000).toISOString();
          const assigneeId = i % 4 === 0 ? null : sync.agentId;
          tickets.push({
            id: `bench-t${i}`,
            number: 100_000 + i,
            subject: `Bench ticket ${i} — billing question`,
            status: statuses[i % statuses.length],
            priority: priorities[i % priorities.length],
            tags: i % 3 === 0 ? ['bench', 'vip'] : ['bench'],
            assigneeId,
            assignee: assigneeId ?? 'none',
            contactId: `bench-c${i}`,
            channel: 'webchat',
            conversationId: `bench-v${i}`,
            intentId: null,
            intentConfidence: null,
            createdAt: at,
            updatedAt: at,
            solvedAt: null,
          });
          contacts.push({ id: `bench-c${i}`, name: `Customer ${i}`, phone: `+55119${String(10_000_000 + i)}`, email: null, designatedAgentId: null, identities: [{ channel: 'webchat', externalId: `bench-${i}` }], createdAt: at, updatedAt: at });
          for (let m = 0; m < perTicket; m++) {
            // Spread over the minute before the ticket's update, alternating user and agent.
            const sent = new Date(start + i * 60_000 - (perTicket - 1 - m) * 1000).toISOString();
            const byAgent = m % 2 === 1;
            messages.push({
              id: perTicket === 1 ? `bench-m${i}` : `bench-m${i}-${m}`,
              conversationId: `bench-v${i}`,
              ticketId: `bench-t${i}`,
              authorKind: byAgent ? 'agent' : 'user',
              agentId: byAgent ? sync.agentId : null,
              text: m === perTicket - 1 ? `Hello, this is message ${i} about my invoice` : `Message ${m + 1} of ticket ${i}: about the charge on my invoice, and when it will be refunded`,
              attachments: [],
              channelMessageId: null,
              delivery: byAgent ? { state: 'delivered', error: null } : null,
              createdAt: sent,
            });
          }
        }
        await sync.db.tickets.bulkPut(tickets);
        await sync.db.contacts.bulkPut(contacts);
        await sync.db.messages.bulkPut(messages);
      }
      return { tickets: await sync.db.tickets.count(), messages: await sync.db.messages.count() };
    },
    { total: count, perTicket: messagesPerTicket },
  );
}
