import { type Agent, type CannedReply, type Contact, type DeskIntegration, exhaustiveSwitchError, type Intent, type Message, type MutationError, type MutationName, type SyncEntity, type Ticket, type TicketRead } from '@desk/core';
import { Dexie, type EntityTable } from 'dexie';
import { LAST_MESSAGES, lastMessagesMiddleware } from './last-messages.ts';

/**
 * The PWA's local store (IndexedDB through Dexie). The entity tables hold what the screen shows:
 * the server's rows with the agent's pending mutations applied on top. `base` keeps the server's
 * version of every row that pending mutations shadow, so the view can be recomputed (rebased)
 * when the server's copy changes or a mutation is confirmed or rejected.
 */

/** A ticket as stored locally: `assignee` is `assigneeId ?? 'none'`, because IndexedDB can't index null. */
export interface LocalTicket extends Ticket {
  assignee: string;
}
export interface LocalIntegration extends DeskIntegration {
  id: string;
}
export interface LocalRead extends TicketRead {
  id: string;
}

/** A mutation waiting for the server. `id` counts up from 1 per client (the server's at-most-once key). */
export interface OutboxEntry {
  id: number;
  name: MutationName;
  args: unknown;
  createdAt: string;
  /** Set once the server has answered `applied`; the entry leaves when a pull shows its effect. */
  pushedAt?: string;
}

export interface BaseRow {
  entity: SyncEntity;
  id: string;
  /** The server's row, or null while the server has none (e.g. a reply not yet stored). */
  row: unknown;
}

/** Something the agent must be told: a mutation the server refused, with the reason. */
export interface Notice {
  id?: number;
  mutationId: number;
  name: MutationName;
  ticketId: string | null;
  error: MutationError;
  createdAt: string;
  /** The refused mutation's arguments: a held reply (collision) keeps its text here until sent anyway or discarded. */
  args?: unknown;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

/** Rows of each synced entity, by the table that stores them. */
export interface EntityRows {
  ticket: LocalTicket;
  message: Message;
  contact: Contact;
  agent: Agent;
  intent: Intent;
  integration: LocalIntegration;
  ticketRead: LocalRead;
  cannedReply: CannedReply;
}

export const ENTITY_TABLES = {
  ticket: 'tickets',
  message: 'messages',
  contact: 'contacts',
  agent: 'agents',
  intent: 'intents',
  integration: 'integration',
  ticketRead: 'reads',
  cannedReply: 'cannedReplies',
} as const satisfies Record<SyncEntity, string>;

export class DeskDb extends Dexie {
  tickets!: EntityTable<LocalTicket, 'id'>;
  messages!: EntityTable<Message, 'id'>;
  /** Each ticket's newest message, by ticket id: derived from `messages` (see last-messages.ts), never written directly. */
  lastMessages!: Dexie.Table<Message, string>;
  contacts!: EntityTable<Contact, 'id'>;
  agents!: EntityTable<Agent, 'id'>;
  intents!: EntityTable<Intent, 'id'>;
  integration!: EntityTable<LocalIntegration, 'id'>;
  reads!: EntityTable<LocalRead, 'id'>;
  cannedReplies!: EntityTable<CannedReply, 'id'>;
  outbox!: EntityTable<OutboxEntry, 'id'>;
  base!: Dexie.Table<BaseRow, [string, string]>;
  notices!: EntityTable<Notice, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;

  private readonly options: NonNullable<ConstructorParameters<typeof Dexie>[1]>;

  constructor(name = 'desk', options: ConstructorParameters<typeof Dexie>[1] = {}) {
    // 'strict' durability: a committed action is on disk before the screen says so.
    super(name, { chromeTransactionDurability: 'strict', ...options });
    this.options = { chromeTransactionDurability: 'strict', ...options };
    // Version 1. Every compound index ends in updatedAt, so each filter combination of the ticket
    // list (status, priority, assignee) is one index range read newest-first, never a scan.
    this.version(1).stores({
      tickets:
        'id, number, updatedAt, contactId, *tags, [status+updatedAt], [priority+updatedAt], [assignee+updatedAt], ' +
        '[status+priority+updatedAt], [status+assignee+updatedAt], [priority+assignee+updatedAt], [status+priority+assignee+updatedAt]',
      messages: 'id, conversationId, [ticketId+createdAt]',
      contacts: 'id, name, phone',
      agents: 'id, name',
      intents: 'id, name',
      integration: 'id',
      reads: 'id, ticketId',
      outbox: 'id',
      base: '[entity+id]',
      notices: '++id, createdAt',
      meta: 'key',
    });
    // Upgrades go here as `this.version(n).stores({...}).upgrade(tx => ...)`; never edit an older version.
    // Version 2: canned replies (shared and the agent's own), matched in memory: few rows.
    this.version(2).stores({ cannedReplies: 'id, shortcut' });
    // Version 3: each ticket's newest message (the list's preview), filled from the messages on upgrade
    // (one pass in index order), then kept by the middleware on every write to `messages`.
    this.version(3)
      .stores({ [LAST_MESSAGES]: 'ticketId' })
      .upgrade(async (tx) => {
        const newest = new Map<string, Message>();
        await tx
          .table<Message>('messages')
          .orderBy('[ticketId+createdAt]')
          .each((message) => {
            if (message.ticketId) newest.set(message.ticketId, message);
          });
        await tx.table<Message>(LAST_MESSAGES).bulkPut([...newest.values()]);
      });
    this.use(lastMessagesMiddleware);
  }

  private serverCopy: DeskDb | null = null;

  /**
   * A second connection to the same database whose commits don't wait for the disk (Chromium's
   * 'relaxed' durability), for writing pulled server data only: a crash can lose such a commit, but
   * the cursor stored in the same transaction is lost with it, so the rows are simply pulled again
   * (and outbox entries it confirmed are pushed again and answered from the server's record). The
   * agent's own actions keep 'strict'. liveQuery sees both connections' writes.
   */
  forServerData(): DeskDb {
    if (this.options.chromeTransactionDurability === 'relaxed') return this;
    this.serverCopy ??= new DeskDb(this.name, { ...this.options, chromeTransactionDurability: 'relaxed' });
    return this.serverCopy;
  }

  override close(options?: { disableAutoOpen: boolean }): void {
    this.serverCopy?.close(options);
    this.serverCopy = null;
    super.close(options);
  }
}

/** Turns a server row into what the local table stores. */
export function toLocal(entity: SyncEntity, id: string, data: unknown): unknown {
  switch (entity) {
    case 'ticket': {
      const ticket = data as Ticket;
      return { ...ticket, assignee: ticket.assigneeId ?? 'none' } satisfies LocalTicket;
    }
    case 'integration':
      return { ...(data as DeskIntegration), id };
    case 'ticketRead':
      return { ...(data as TicketRead), id };
    case 'message':
    case 'cannedReply':
    case 'contact':
    case 'agent':
    case 'intent':
      return data;
    default:
      return exhaustiveSwitchError(entity, 'sync entity');
  }
}

export function tableOf(db: DeskDb, entity: SyncEntity): Dexie.Table<unknown, string> {
  return db.table(ENTITY_TABLES[entity]);
}

export const META = {
  clientId: 'clientId',
  cursor: 'cursor',
  epoch: 'epoch',
  agentId: 'agentId',
  nextMutationId: 'nextMutationId',
  /** `{id, key}`: the id the leader tab may push before its commit (local/mutation-ids.ts). */
  armedMutationId: 'armedMutationId',
  /** Where the background download of messages goes on (a snapshot `next`; '' = from the newest); absent when done. */
  messageBackfill: 'messageBackfill',
} as const;

export async function getMeta<T>(db: DeskDb, key: string): Promise<T | undefined> {
  return (await db.meta.get(key))?.value as T | undefined;
}

export async function setMeta(db: DeskDb, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}
