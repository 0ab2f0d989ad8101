import { expect, type Page } from '@playwright/test';

interface Change {
  entity: string;
  id: string;
  /** null for a deleted row. */
  data: Record<string, unknown>;
}

/** What the signed-in agent may see, as the server holds it (a bootstrap pull). */
export async function serverData(page: Page): Promise<Change[]> {
  const changes: Change[] = [];
  let cursor = 0;
  for (;;) {
    const res = await page.request.get(`/api/sync/pull?cursor=${cursor}&limit=5000`);
    expect(res.ok()).toBe(true);
    const body = (await res.json()) as { changes: Change[]; cursor: number; hasMore: boolean };
    changes.push(...body.changes);
    if (!body.hasMore) return changes;
    cursor = body.cursor;
  }
}

/** The newest ticket of the web chat visitor, waiting for the hand-off to have created it. */
export async function ticketOfVisitor(page: Page, visitorId: string): Promise<Record<string, unknown> & { id: string; number: number }> {
  let found: Record<string, unknown> | undefined;
  await expect
    .poll(async () => {
      const changes = await serverData(page);
      const contact = changes.find(
        (c) => c.entity === 'contact' && c.data !== null && (c.data.identities as { channel: string; externalId: string }[]).some((i) => i.channel === 'webchat' && i.externalId === visitorId),
      );
      const tickets = changes.filter((c) => c.entity === 'ticket' && c.data !== null && c.data.contactId === contact?.id).map((c) => c.data);
      found = tickets.sort((a, b) => Number(b.number) - Number(a.number))[0];
      return found !== undefined;
    })
    .toBe(true);
  return found as Record<string, unknown> & { id: string; number: number };
}
