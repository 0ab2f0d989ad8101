import { randomUUID } from 'node:crypto';
import type { PullResponse, PushResponse, Ticket, TicketPriority, TicketStatus } from '@desk/core';
import type { TestDesk } from '../support/test-app.ts';

/** A ticket in desk mode on the web chat, written through the repositories (so the log records it). */
export function seedTicket(
  desk: TestDesk,
  options: { status?: TicketStatus; priority?: TicketPriority; assigneeId?: string | null; subject?: string } = {},
): Promise<Ticket> {
  const s = desk.services;
  return s.db.transaction(async () => {
    const externalId = randomUUID();
    const contact = await s.contacts.create({ name: 'Maria' }, { channel: 'webchat', externalId });
    const conversation = await s.conversations.create({ contactId: contact.id, channel: 'webchat', externalId });
    const ticket = await s.tickets.create({
      subject: options.subject ?? 'Support — Talk to a person',
      status: options.status ?? 'open',
      priority: options.priority ?? 'normal',
      tags: [],
      assigneeId: options.assigneeId ?? null,
      contactId: contact.id,
      channel: 'webchat',
      conversationId: conversation.id,
      intentId: null,
      intentConfidence: null,
    });
    await s.conversations.setMode(conversation.id, 'desk', ticket.id);
    return ticket;
  });
}

export async function push(
  desk: TestDesk,
  clientId: string,
  mutations: { id: number; name: string; args: unknown }[],
  options: { token?: string; epoch?: string } = {},
): Promise<{ status: number; body: PushResponse & { error?: { code: string } } }> {
  const res = await desk.request('/api/sync/push', {
    method: 'POST',
    json: { clientId, mutations },
    ...(options.token ? { token: options.token } : {}),
    ...(options.epoch ? { headers: { 'x-sync-epoch': options.epoch } } : {}),
  });
  return { status: res.status, body: (await res.json()) as never };
}

export async function pull(
  desk: TestDesk,
  cursor: number,
  options: { limit?: number; epoch?: string; token?: string } = {},
): Promise<{ status: number; body: PullResponse & { error?: { code: string } } }> {
  const res = await desk.request(`/api/sync/pull?cursor=${cursor}&limit=${options.limit ?? 1000}`, {
    ...(options.token ? { token: options.token } : {}),
    ...(options.epoch ? { headers: { 'x-sync-epoch': options.epoch } } : {}),
  });
  return { status: res.status, body: (await res.json()) as never };
}
