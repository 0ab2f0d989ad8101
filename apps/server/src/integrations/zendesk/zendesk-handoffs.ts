import { readFile } from 'node:fs/promises';
import {
  type Contact,
  effectiveDestination,
  type ExternalDestination,
  type HandOffDestination,
  type Message,
  ZENDESK_HANDOFF_TAG,
  zendeskPriorityOf,
  zendeskStatusEndsHandOff,
  zendeskStatusOf,
} from '@desk/core';
import type { ContactsRepo } from '../../contacts/contacts-repo.ts';
import { type BotLanguage, isBotLanguage } from '../../conversations/bot/languages.ts';
import type { ConversationClock } from '../../conversations/conversation-clock.ts';
import type { ConversationRecord, ConversationsRepo } from '../../conversations/conversations-repo.ts';
import type { ConversationEngine } from '../../conversations/engine.ts';
import type { ExternalHandOffs, HandOffRequest } from '../../conversations/external-handoff.ts';
import type { MessagesRepo } from '../../conversations/messages-repo.ts';
import type { Db } from '../../db/database.ts';
import type { DomainEvent, EventBus } from '../../events/domain-events.ts';
import { DueJobRunner, type RetryPolicy, retryAt } from '../../jobs/due-job-runner.ts';
import { leaseFor } from '../../jobs/job-lease.ts';
import type { MediaStore } from '../../media/media-store.ts';
import type { Clock } from '../../shared/clock.ts';
import { handOffNotes } from './handoff-notes.ts';
import type { HandOff, HandOffJob, HandOffsRepo } from './handoffs-repo.ts';
import { RemoteCallError } from './remote-call.ts';
import { DESK_ORIGIN, type SunshineClient } from './sunshine-client.ts';
import { type ZendeskClient, ticketUrl } from './zendesk-client.ts';
import type { ZendeskConfig } from './zendesk-config.ts';
import type { ZendeskSettings } from './zendesk-settings.ts';

export interface ZendeskHandOffsDeps {
  db: Db;
  clock: Clock;
  /** A hand-off starts in its conversation's order: the next one's transcript is what came after it. */
  conversationClock: ConversationClock;
  events: EventBus;
  config: ZendeskConfig;
  settings: ZendeskSettings;
  repo: HandOffsRepo;
  zendesk: ZendeskClient;
  sunshine: SunshineClient;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  contacts: ContactsRepo;
  mediaStore: MediaStore;
  engine: ConversationEngine;
  /** How long a claimed call stays this instance's (see jobs/job-lease.ts). */
  leaseMs?: number;
}

/** A job that can't run yet (a file still downloading, the ticket's update window full): later, without counting an attempt. */
class NotYet extends Error {
  constructor(
    readonly at: string,
    reason: string,
  ) {
    super(reason);
  }
}

const DOWNLOAD_WAIT_MS = 500;

/**
 * Hand-offs to Zendesk Support (a ticket; user messages as public comments, agent comments back
 * to the user) and Zendesk messaging (the Sunshine Conversations switchboard). Every call to
 * Zendesk or Sunshine is a durable job, run after the transaction that queued it, retried with
 * backoff on network errors, 5xx and 429 (after Retry-After); a permanent error is shown with
 * the service's own description.
 */
export class ZendeskHandOffs implements ExternalHandOffs {
  readonly worker: DueJobRunner<HandOffJob>;
  private readonly retryPolicy: RetryPolicy;

  constructor(private readonly deps: ZendeskHandOffsDeps) {
    // A forward may upload several files before its comment: five minutes before another instance takes it over.
    const lease = leaseFor(deps.leaseMs ?? 300_000);
    this.retryPolicy = { baseDelayMs: deps.config.retryBaseMs, maxDelayMs: 15 * 60_000, maxAttempts: 12 };
    this.worker = new DueJobRunner<HandOffJob>({
      name: 'zendesk hand-offs',
      clock: deps.clock,
      due: (now, limit) => deps.repo.claim(now, limit, lease),
      release: (job) => deps.repo.release(job.id),
      nextDueAt: () => deps.repo.nextDueAt(),
      handle: (job) => this.run(job),
      keyOf: (job) => `${job.handoff_id}:${job.lane}`,
      concurrency: 4,
    });
  }

  async destinationFor(wanted: HandOffDestination): Promise<HandOffDestination> {
    const connected = { zendesk_support: this.deps.settings.connected('support'), zendesk_messaging: this.deps.settings.connected('messaging') };
    return effectiveDestination(wanted, connected).effective;
  }

  async begin(input: { conversation: ConversationRecord; contact: Contact; request: HandOffRequest; destination: ExternalDestination; language: BotLanguage }): Promise<void> {
    const { repo, messages, conversations, clock, settings } = this.deps;
    const { conversation, request, destination } = input;
    const card = settings.state(destination === 'zendesk_support' ? 'support' : 'messaging');
    const since = await repo.lastStartedAt(conversation.id);
    const transcript = (await messages.listByConversation(conversation.id))
      .filter((m) => m.ticketId === null && (m.authorKind === 'user' || m.authorKind === 'bot') && (!since || m.createdAt > since))
      .map((m) => m.id);
    // A Support ticket created solved leaves the bot in charge, as a Desk ticket does.
    const stays = destination === 'zendesk_support' && request.status === 'solved';
    const handOff = await repo.create(
      {
        conversationId: conversation.id,
        destination,
        state: stays ? 'closed' : 'open',
        intentId: request.intentId,
        subject: `${card.subject} — ${request.name}`,
        tags: card.tags,
        status: request.status,
        priority: request.priority,
        groupId: destination === 'zendesk_support' ? request.zendeskGroupId : null,
        transcript,
        sunshineConversationId: destination === 'zendesk_messaging' && conversation.channel === 'smooch' ? conversation.externalId : null,
      },
      this.deps.conversationClock(conversation.id),
    );
    if (!stays) await conversations.setMode(conversation.id, destination === 'zendesk_support' ? 'zendesk' : 'zendesk_messaging', null);
    await repo.enqueue(handOff.id, 'open', null, clock());
    this.deps.db.afterCommit(() => this.worker.kick());
  }

  async userMessage(conversation: ConversationRecord, message: Message): Promise<void> {
    const handOff = await this.deps.repo.openFor(conversation.id);
    if (!handOff) return;
    // Sunshine already has what the user wrote in one of its own conversations.
    if (handOff.destination === 'zendesk_messaging' && conversation.channel === 'smooch') return;
    await this.deps.repo.enqueue(handOff.id, 'forward', message.id, this.deps.clock());
    this.deps.db.afterCommit(() => this.worker.kick());
  }

  /** A valid poke from Zendesk's webhook: read the ticket's comments and status (durably, after the answer). */
  async poke(ticketId: number): Promise<boolean> {
    const handOff = await this.deps.repo.byTicket(ticketId);
    if (!handOff) return false;
    await this.deps.repo.enqueue(handOff.id, 'sync', null, this.deps.clock());
    this.worker.kick();
    return true;
  }

  /**
   * Sunshine Conversations webhook events (from the messaging integration's webhook or the Sunshine
   * channel's): agent messages in Desk's relay conversations go to the user; a release hands the
   * conversation back to the bot. Desk's own echoes and unknown conversations are ignored.
   */
  async sunshineEvents(body: unknown): Promise<void> {
    const events = (body as { events?: unknown } | null)?.events;
    if (!Array.isArray(events)) return;
    for (const event of events as { type?: unknown; payload?: Record<string, unknown> }[]) {
      const conversationId = (event?.payload?.conversation as { id?: unknown } | undefined)?.id;
      if (typeof conversationId !== 'string') continue;
      // A user's message (every Sunshine webhook of a chat with the bot) is nothing a hand-off relays:
      // no lookup for it on the acknowledgement's path.
      if (event.type === 'conversation:message' && (event.payload?.message as { author?: { type?: unknown } } | undefined)?.author?.type !== 'business') continue;
      const handOff = await this.deps.repo.bySunshineConversation(conversationId);
      if (!handOff) continue;
      if (event.type === 'switchboard:releaseControl') await this.release(handOff);
      else if (event.type === 'conversation:message') await this.agentMessage(handOff, event.payload?.message);
    }
  }

  private async agentMessage(handOff: HandOff, raw: unknown): Promise<void> {
    const message = raw as { id?: unknown; author?: { type?: unknown }; content?: { type?: unknown; text?: unknown; mediaUrl?: unknown }; metadata?: { origin?: unknown } } | null;
    if (!message || typeof message.id !== 'string' || message.author?.type !== 'business' || message.metadata?.origin === DESK_ORIGIN.origin) return;
    const conversation = await this.deps.conversations.get(handOff.conversationId);
    // On a Sunshine conversation Zendesk's agent already talks to the user directly.
    if (!conversation || conversation.channel === 'smooch' || handOff.state !== 'open') return;
    const text = [message.content?.text, message.content?.type !== 'text' ? message.content?.mediaUrl : null].filter((t) => typeof t === 'string' && t !== '').join('\n');
    if (!text) return;
    await this.relay(handOff, message.id, text);
  }

  /** An agent's words to the user's channel, once per remote id. */
  private async relay(handOff: HandOff, remoteId: string, text: string): Promise<void> {
    const events: DomainEvent[] = [];
    await this.deps.db.transaction(async () => {
      if (await this.deps.repo.wasRelayed(handOff.id, remoteId)) return;
      const conversation = (await this.deps.conversations.get(handOff.conversationId)) as ConversationRecord;
      const message = await this.deps.engine.appendOutbound(conversation, { authorKind: 'agent', text: text.slice(0, 4000), ticketId: null });
      await this.deps.repo.rememberRelayed(handOff.id, remoteId, message.id);
      events.push(this.created(conversation, message));
    });
    this.deps.events.emitAll(events);
  }

  private async release(handOff: HandOff): Promise<void> {
    const events: DomainEvent[] = [];
    await this.deps.db.transaction(async () => {
      const current = (await this.deps.repo.get(handOff.id)) as HandOff;
      if (current.state !== 'open') return;
      await this.close(current, (language) => handOffNotes.messagingReleased(language), events);
    });
    this.deps.events.emitAll(events);
  }

  /** Inside a transaction: the hand-off ends, the bot answers again, with a note. */
  private async close(handOff: HandOff, note: (language: BotLanguage) => string, events: DomainEvent[]): Promise<void> {
    const { repo, conversations, clock } = this.deps;
    await repo.update(handOff.id, { state: 'closed' }, clock());
    await repo.dropPending(handOff.id, 'forward', clock());
    const conversation = (await conversations.get(handOff.conversationId)) as ConversationRecord;
    if (conversation.mode === 'zendesk' || conversation.mode === 'zendesk_messaging') await conversations.setMode(conversation.id, 'bot', null);
    events.push(await this.note(conversation, note(languageOf(conversation))));
  }

  private async note(conversation: ConversationRecord, text: string): Promise<DomainEvent> {
    const { message } = await this.deps.messages.append({ conversationId: conversation.id, channel: conversation.channel, ticketId: null, authorKind: 'system', text });
    return this.created(conversation, message);
  }

  private created(conversation: ConversationRecord, message: Message): DomainEvent {
    return { name: 'message.created', payload: { message, channel: conversation.channel, externalId: conversation.externalId } };
  }

  // ---- the jobs ----

  private async run(job: HandOffJob): Promise<void> {
    const handOff = await this.deps.repo.get(job.handoff_id);
    if (!handOff) return this.fail(job, null, 'The hand-off no longer exists.');
    try {
      switch (job.kind) {
        case 'open':
          if (handOff.destination === 'zendesk_support') await this.openTicket(handOff, job);
          else await this.passControl(handOff, job);
          return;
        case 'forward':
          if (handOff.destination === 'zendesk_support') await this.forwardToTicket(handOff, job);
          else await this.forwardToSunshine(handOff, job);
          return;
        case 'sync':
          await this.syncTicket(handOff, job);
          return;
        default:
          throw new Error(`Unknown job: ${job.kind satisfies never}`);
      }
    } catch (err) {
      const now = this.deps.clock();
      if (err instanceof NotYet) {
        await this.deps.repo.retryLater(job.id, job.attempts, err.message, err.at, now);
        return;
      }
      const remote = err instanceof RemoteCallError ? err : null;
      const reason = err instanceof Error ? err.message : String(err);
      if (remote && !remote.retryable) return this.fail(job, handOff, remote.description);
      const attempts = job.attempts + 1;
      const backoff = retryAt(this.retryPolicy, attempts, now);
      if (!backoff) return this.fail(job, handOff, reason);
      const after = remote?.retryAfterMs != null ? new Date(Date.parse(now) + remote.retryAfterMs).toISOString() : backoff;
      await this.deps.repo.retryLater(job.id, attempts, reason, after, now);
    }
  }

  /** A permanent error: shown on the card (and on the message or in the conversation) with Zendesk's words. */
  private async fail(job: HandOffJob, handOff: HandOff | null, reason: string): Promise<void> {
    const events: DomainEvent[] = [];
    await this.deps.db.transaction(async () => {
      const now = this.deps.clock();
      await this.deps.repo.markFailed([job.id], reason, now);
      if (!handOff) return;
      await this.deps.settings.saveState(handOff.destination === 'zendesk_support' ? 'support' : 'messaging', { lastError: `${now}: ${reason}` });
      if (job.kind === 'open') {
        const current = (await this.deps.repo.get(handOff.id)) as HandOff;
        if (current.state === 'open') await this.close(current, (language) => handOffNotes.failed(reason, language), events);
      } else if (job.kind === 'forward' && job.message_id) {
        const message = await this.deps.messages.setDelivery(job.message_id, { state: 'failed', attempts: job.attempts + 1, error: reason });
        if (message) events.push({ name: 'message.updated', payload: { message } });
      }
    });
    this.deps.events.emitAll(events);
  }

  private async done(jobIds: number[], work: (events: DomainEvent[]) => Promise<void> = async () => {}): Promise<void> {
    const events: DomainEvent[] = [];
    await this.deps.db.transaction(async () => {
      await work(events);
      await this.deps.repo.markDone(jobIds, this.deps.clock());
    });
    this.deps.events.emitAll(events);
  }

  private async contactOf(handOff: HandOff): Promise<{ conversation: ConversationRecord; contact: Contact }> {
    const conversation = (await this.deps.conversations.get(handOff.conversationId)) as ConversationRecord;
    return { conversation, contact: (await this.deps.contacts.get(conversation.contactId)) as Contact };
  }

  private async transcriptText(handOff: HandOff): Promise<string> {
    const lines: string[] = [];
    for (const id of handOff.transcript) {
      const m = await this.deps.messages.get(id);
      if (!m) continue;
      const who = m.authorKind === 'user' ? 'User' : 'Bot';
      const files = m.attachments.map((a) => `[${a.name}]`).join(' ');
      lines.push(`${who} (${m.createdAt}): ${[m.text, files].filter(Boolean).join(' ')}`);
    }
    return ['Conversation with the bot before the hand-off:', '', ...lines].join('\n');
  }

  private async openTicket(handOff: HandOff, job: HandOffJob): Promise<void> {
    const { zendesk, repo, clock } = this.deps;
    const { conversation, contact } = await this.contactOf(handOff);
    let requesterId = handOff.requesterId;
    if (requesterId === null) {
      requesterId = await zendesk.createOrUpdateUser({
        name: contact.name,
        external_id: contact.id,
        ...(contact.email && { email: contact.email }),
        ...(contact.phone && { phone: contact.phone }),
      });
      const id = requesterId;
      await repo.update(handOff.id, { requesterId: id }, clock());
    }
    const ticket = await zendesk.createTicket(
      {
        subject: handOff.subject,
        comment: { body: await this.transcriptText(handOff), public: false },
        requester_id: requesterId,
        tags: [...new Set([...handOff.tags, ZENDESK_HANDOFF_TAG])],
        priority: zendeskPriorityOf(handOff.priority),
        status: zendeskStatusOf(handOff.status),
        ...(handOff.groupId !== null && { group_id: handOff.groupId }),
        external_id: conversation.id,
      },
      handOff.idempotencyKey,
    );
    const subdomain = this.deps.settings.values('support').subdomain ?? 'zendesk';
    await this.done([job.id], async (events) => {
      await repo.update(handOff.id, { zendeskTicketId: ticket.id }, clock());
      events.push(await this.note(conversation, handOffNotes.zendeskTicket(ticket.id, ticketUrl(subdomain, ticket.id), languageOf(conversation))));
    });
    // Messages the user sent meanwhile were queued behind this job: they go next.
    this.worker.kick();
  }

  private async forwardToTicket(handOff: HandOff, job: HandOffJob): Promise<void> {
    const { repo, zendesk, clock, config } = this.deps;
    if (handOff.zendeskTicketId === null || handOff.requesterId === null) throw new Error('The Zendesk ticket is not created yet.');
    const ticketId = handOff.zendeskTicketId;
    const now = clock();
    const windowStart = new Date(Date.parse(now) - config.updateWindowMs).toISOString();
    const window = await repo.ticketUpdatesSince(ticketId, windowStart);
    if (window.count >= config.updatesPerWindow && window.oldest) {
      // Zendesk's limit: wait for the window to open again; what the user writes meanwhile joins this comment.
      throw new NotYet(new Date(Date.parse(window.oldest) + config.updateWindowMs + 1).toISOString(), 'Waiting for Zendesk’s per-ticket update limit.');
    }
    const jobs = await repo.pendingForwards(handOff.id);
    const batch: { job: HandOffJob; message: Message }[] = [];
    for (const j of jobs) {
      const message = j.message_id ? await this.deps.messages.get(j.message_id) : null;
      if (message) batch.push({ job: j, message });
    }
    if (batch.some(({ message }) => message.attachments.some((a) => a.download?.state === 'pending'))) {
      throw new NotYet(new Date(Date.parse(now) + DOWNLOAD_WAIT_MS).toISOString(), 'Waiting for a file to download.');
    }
    const uploads: string[] = [];
    for (const { message } of batch) {
      for (const file of message.attachments) {
        if (file.download?.state === 'failed') continue;
        const bytes = await this.mediaBytes(file.url);
        if (bytes) uploads.push(await zendesk.upload(file.name, file.mimeType, bytes));
      }
    }
    const body = batch
      .map(({ message }) => [message.text, ...message.attachments.map((a) => `📎 ${a.name}`)].filter(Boolean).join('\n'))
      .filter(Boolean)
      .join('\n\n');
    const ids = [job.id, ...batch.map(({ job: j }) => j.id).filter((id) => id !== job.id)];
    if (body || uploads.length > 0) {
      await zendesk.addComment(ticketId, { body: body || '📎', author_id: handOff.requesterId, public: true, ...(uploads.length > 0 && { uploads }) });
    }
    await this.done(ids, () => repo.recordTicketUpdate(ticketId, clock()));
  }

  private async mediaBytes(url: string): Promise<Uint8Array | null> {
    const id = url.split('/').pop();
    if (!id) return null;
    try {
      return await readFile(this.deps.mediaStore.pathOf(id));
    } catch {
      return null;
    }
  }

  private async syncTicket(handOff: HandOff, job: HandOffJob): Promise<void> {
    const { zendesk, repo } = this.deps;
    if (handOff.zendeskTicketId === null) return this.done([job.id]);
    const comments = await zendesk.comments(handOff.zendeskTicketId);
    const ticket = await zendesk.ticket(handOff.zendeskTicketId);
    for (const comment of comments) {
      // Internal notes never reach the user; neither do the user's own comments.
      if (!comment.public || comment.author_id === handOff.requesterId) continue;
      await this.relay(handOff, `comment:${comment.id}`, comment.body);
    }
    await this.done([job.id], async (events) => {
      const current = (await repo.get(handOff.id)) as HandOff;
      const ticketId = handOff.zendeskTicketId as number;
      if (current.state === 'open' && zendeskStatusEndsHandOff(ticket.status)) {
        await this.close(current, (language) => handOffNotes.zendeskSolved(ticketId, language), events);
      }
    });
  }

  private metadata(handOff: HandOff, contact: Contact, firstMessageId: string | null): Record<string, string> {
    return {
      ...(firstMessageId && { first_message_id: firstMessageId }),
      'dataCapture.systemField.tags': handOff.tags.join(' '),
      'dataCapture.systemField.requester.name': contact.name,
      'dataCapture.systemField.priority': zendeskPriorityOf(handOff.priority),
    };
  }

  private async passControl(handOff: HandOff, job: HandOffJob): Promise<void> {
    const { sunshine, repo, clock, messages } = this.deps;
    const { conversation, contact } = await this.contactOf(handOff);
    let sunshineId = handOff.sunshineConversationId;
    let firstMessageId = handOff.firstMessageId;
    if (conversation.channel === 'smooch') {
      sunshineId = conversation.externalId;
      firstMessageId = null;
      for (const id of handOff.transcript) {
        const channelId = (await messages.get(id))?.channelMessageId;
        if (channelId && !channelId.startsWith('out-')) {
          firstMessageId = channelId;
          break;
        }
      }
    } else {
      await sunshine.userFor(contact.id, contact.name);
      if (!sunshineId) {
        const created = await sunshine.createConversation(contact.id, contact.name);
        sunshineId = created;
        await repo.update(handOff.id, { sunshineConversationId: created }, clock());
      }
      // The transcript, one message at a time; a retry resumes after the last one posted.
      for (let i = handOff.transcriptPosted; i < handOff.transcript.length; i++) {
        const m = await messages.get(handOff.transcript[i] as string);
        const text = m ? [m.text, ...m.attachments.map((a) => `📎 ${a.name}`)].filter(Boolean).join('\n') : '';
        let posted: string | null = null;
        if (m && text) {
          const author = m.authorKind === 'user' ? { type: 'user' as const, userExternalId: contact.id } : { type: 'business' as const };
          posted = await sunshine.postMessage(sunshineId, author, { type: 'text', text });
        }
        const first = firstMessageId ?? posted;
        firstMessageId = first;
        await repo.update(handOff.id, { transcriptPosted: i + 1, firstMessageId: first }, clock());
      }
    }
    await sunshine.passControl(sunshineId, this.metadata(handOff, contact, firstMessageId));
    await this.done([job.id], async (events) => {
      await repo.update(handOff.id, { sunshineConversationId: sunshineId, firstMessageId }, clock());
      events.push(await this.note(conversation, handOffNotes.messagingPassed(languageOf(conversation))));
    });
    this.worker.kick();
  }

  private async forwardToSunshine(handOff: HandOff, job: HandOffJob): Promise<void> {
    const { sunshine, clock } = this.deps;
    const message = job.message_id ? await this.deps.messages.get(job.message_id) : null;
    if (!message || handOff.state !== 'open') return this.done([job.id]);
    if (!handOff.sunshineConversationId) throw new Error('The Sunshine conversation is not created yet.');
    if (message.attachments.some((a) => a.download?.state === 'pending')) {
      throw new NotYet(new Date(Date.parse(clock()) + DOWNLOAD_WAIT_MS).toISOString(), 'Waiting for a file to download.');
    }
    const { contact } = await this.contactOf(handOff);
    const author = { type: 'user' as const, userExternalId: contact.id };
    for (const file of message.attachments) {
      const bytes = file.download?.state === 'failed' ? null : await this.mediaBytes(file.url);
      if (!bytes) continue;
      const mediaUrl = await sunshine.uploadAttachment(handOff.sunshineConversationId, file.name, file.mimeType, bytes);
      await sunshine.postMessage(handOff.sunshineConversationId, author, { type: file.kind === 'image' ? 'image' : 'file', mediaUrl });
    }
    if (message.text) await sunshine.postMessage(handOff.sunshineConversationId, author, { type: 'text', text: message.text });
    await this.done([job.id]);
  }
}

function languageOf(conversation: ConversationRecord): BotLanguage {
  return isBotLanguage(conversation.language) ? conversation.language : 'en';
}
