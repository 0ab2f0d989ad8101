import {
  applyTicketMutation,
  checkAgentReply,
  isTicketFieldMutation,
  type Message,
  type MutationResult,
  parseMutation,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  replyMessage,
  type SnapshotResponse,
  type SyncChange,
  type SyncEntity,
  type Ticket,
} from '@desk/core';
import { ResetRequiredError, type SyncTransport } from '../transport.ts';

/**
 * An in-memory server with the same protocol rules as apps/server (at-most-once per client id,
 * gap stops, rejected recorded, compacted pulls, epochs), for testing the client's rebase.
 */
export class FakeServer implements SyncTransport {
  tickets = new Map<string, Ticket>();
  messages = new Map<string, Message>();
  log: SyncChange[] = [];
  epoch = 'epoch-1';
  private seq = 0;
  private lastIds = new Map<string, number>();
  private recorded = new Map<string, MutationResult>();
  /** When set, a push is processed but its answer is lost (a dropped connection). */
  dropNextPushAnswer = false;
  offline = false;
  pushes = 0;
  pulls = 0;
  snapshots: string[] = [];
  private clock = Date.parse('2030-01-01T00:00:00Z');

  now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  record(entity: SyncEntity, id: string, data: unknown): void {
    this.seq += 1;
    this.log.push({ seq: this.seq, entity, id, op: 'put', data: structuredClone(data) });
  }

  addTicket(overrides: Partial<Ticket> = {}): Ticket {
    const now = this.now();
    const ticket: Ticket = {
      id: crypto.randomUUID(),
      number: this.tickets.size + 1,
      subject: 'Help',
      status: 'open',
      priority: 'normal',
      tags: [],
      assigneeId: null,
      contactId: 'contact-1',
      channel: 'webchat',
      conversationId: 'conversation-1',
      intentId: null,
      intentConfidence: null,
      createdAt: now,
      updatedAt: now,
      solvedAt: null,
      ...overrides,
    };
    this.putTicket(ticket);
    return ticket;
  }

  putTicket(ticket: Ticket): void {
    this.tickets.set(ticket.id, ticket);
    this.record('ticket', ticket.id, ticket);
  }

  /** Another agent's change, straight on the server. */
  change(ticketId: string, patch: Partial<Ticket>): Ticket {
    const ticket = { ...(this.tickets.get(ticketId) as Ticket), ...patch, updatedAt: this.now() };
    this.putTicket(ticket);
    return ticket;
  }

  async pull(cursor: number, epoch: string | undefined, limit = 1000): Promise<PullResponse> {
    if (this.offline) throw new TypeError('Failed to fetch');
    this.pulls += 1;
    if (cursor > 0 && epoch !== undefined && epoch !== this.epoch) throw new ResetRequiredError();
    if (cursor > this.seq) throw new ResetRequiredError();
    const latest = new Map<string, number>();
    for (const change of this.log) latest.set(`${change.entity}:${change.id}`, change.seq);
    const visible = this.log.filter((c) => c.seq > cursor && latest.get(`${c.entity}:${c.id}`) === c.seq);
    const page = visible.slice(0, limit);
    const hasMore = visible.length > limit;
    return {
      cursor: hasMore ? (page.at(-1)?.seq ?? cursor) : this.seq,
      changes: structuredClone(page),
      lastMutationIds: Object.fromEntries(this.lastIds),
      hasMore,
      epoch: this.epoch,
    };
  }

  /** The same ordering as apps/server's snapshot (tickets newest-updated first, messages newest first); `after` is an offset here. */
  async snapshotPage(query: { part: 'ticket' | 'other' | 'message'; after?: string; ticketId?: string; limit?: number }): Promise<SnapshotResponse> {
    if (this.offline) throw new TypeError('Failed to fetch');
    this.snapshots.push(query.ticketId ? `message:${query.ticketId}` : query.part);
    const latest = new Map<string, SyncChange>();
    for (const change of this.log) latest.set(`${change.entity}:${change.id}`, change);
    const rows = [...latest.values()].filter((c) => c.op === 'put');
    let list: SyncChange[];
    if (query.part === 'ticket') list = rows.filter((c) => c.entity === 'ticket').sort((a, b) => ((b.data as Ticket).updatedAt < (a.data as Ticket).updatedAt ? -1 : 1));
    else if (query.part === 'other') list = rows.filter((c) => c.entity !== 'ticket' && c.entity !== 'message');
    else list = rows.filter((c) => c.entity === 'message' && (!query.ticketId || (c.data as Message).ticketId === query.ticketId)).sort((a, b) => b.seq - a.seq);
    const from = Number(query.after ?? 0);
    const limit = query.ticketId ? list.length : (query.limit ?? 500);
    const page = list.slice(from, from + limit);
    return { changes: structuredClone(page), next: from + limit < list.length ? String(from + limit) : null, head: this.seq, epoch: this.epoch };
  }

  /** Offers the snapshot to the client (as the HTTP transport does). */
  withSnapshot(): this {
    (this as SyncTransport).snapshot = (query) => this.snapshotPage(query);
    return this;
  }

  addMessage(ticketId: string, text: string): Message {
    const message: Message = { ...replyMessage({ ticketId, messageId: crypto.randomUUID(), text }, this.tickets.get(ticketId) as Ticket, 'agent-bia', this.now()), delivery: { state: 'delivered' } };
    this.messages.set(message.id, message);
    this.record('message', message.id, message);
    return message;
  }

  async push(request: PushRequest, epoch: string | undefined): Promise<PushResponse> {
    if (this.offline) throw new TypeError('Failed to fetch');
    if (epoch !== undefined && epoch !== this.epoch) throw new ResetRequiredError();
    this.pushes += 1;
    const results: MutationResult[] = [];
    for (const pushed of request.mutations) {
      const last = this.lastIds.get(request.clientId) ?? 0;
      if (pushed.id <= last) {
        results.push(this.recorded.get(`${request.clientId}:${pushed.id}`) ?? { id: pushed.id, status: 'applied' });
        continue;
      }
      if (pushed.id > last + 1) break;
      const result = this.apply(pushed.id, pushed.name, pushed.args);
      this.lastIds.set(request.clientId, pushed.id);
      this.recorded.set(`${request.clientId}:${pushed.id}`, result);
      results.push(result);
    }
    if (this.dropNextPushAnswer) {
      this.dropNextPushAnswer = false;
      throw new TypeError('Failed to fetch');
    }
    return { results };
  }

  private apply(id: number, name: PushRequest['mutations'][number]['name'], args: unknown): MutationResult {
    const parsed = parseMutation(name, args);
    if (!parsed.ok) return { id, status: 'rejected', error: parsed.error };
    const mutation = parsed.mutation;
    const now = this.now();
    if (isTicketFieldMutation(mutation)) {
      const ticket = this.tickets.get(mutation.args.ticketId);
      if (!ticket) return { id, status: 'rejected', error: { code: 'not_found', message: 'No such ticket.' } };
      const result = applyTicketMutation(ticket, mutation, { now });
      if (!result.ok) return { id, status: 'rejected', error: { code: 'rule_violated', message: result.message, rule: result.rule } };
      this.putTicket(result.value);
      return { id, status: 'applied' };
    }
    if (mutation.name === 'ticket.reply') {
      if (this.messages.has(mutation.args.messageId)) return { id, status: 'applied' };
      const ticket = this.tickets.get(mutation.args.ticketId) as Ticket;
      const check = checkAgentReply(ticket);
      if (!check.ok) return { id, status: 'rejected', error: { code: 'rule_violated', message: check.message, rule: check.rule } };
      const message: Message = { ...replyMessage(mutation.args, ticket, 'agent-ana', now), delivery: { state: 'delivered' } };
      this.messages.set(message.id, message);
      this.record('message', message.id, message);
      this.change(ticket.id, {});
      return { id, status: 'applied' };
    }
    return { id, status: 'applied' };
  }

  replyCount(text: string): number {
    return [...this.messages.values()].filter((m) => m.text === text).length;
  }
}
