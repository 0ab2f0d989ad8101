import {
  attachmentKindOf,
  type Attachment,
  type Channel,
  checkReply,
  type Contact,
  DeskError,
  type DeskIntegration,
  ErrorCode,
  type HandOffDestination,
  type Intent,
  type Message,
  normalizePhone,
  type QuickReply,
  applyTicketChange,
  chosenReply,
  statusAfterAssignment,
  type Ticket,
  ticketSubject,
  timeOrderedId,
} from '@desk/core';
import type { AgentsRepo } from '../accounts/agents-repo.ts';
import { type PendingMedia, unsupportedNote } from '../channels/inbound/channel-inbound.ts';
import type { MediaSource } from '../channels/inbound/channel-inbound.ts';
import type { ContactsRepo } from '../contacts/contacts-repo.ts';
import type { Db } from '../db/database.ts';
import type { DomainEvent, EventBus } from '../events/domain-events.ts';
import type { IntentsRepo } from '../intents/intents-repo.ts';
import type { DeskIntegrationRepo } from '../integrations/desk-integration-repo.ts';
import type { MediaRepo } from '../media/media-repo.ts';
import type { Clock } from '../shared/clock.ts';
import type { ReportRecorder } from '../reports/report-recorder.ts';
import { turnKindOf } from '../reports/turn-kind.ts';
import type { TicketsRepo } from '../tickets/tickets-repo.ts';
import { botTexts } from './bot/bot-texts.ts';
import { isCancelRequest } from './bot/cancel-request.ts';
import { type BotKind, type BotTurn, missesInARow, type PendingChoices, planTurn } from './bot/dialogue.ts';
import { type BotLanguage, isBotLanguage } from './bot/languages.ts';
import type { BotReading, Nlu } from './bot/nlu.ts';
import type { ConversationRecord, ConversationsRepo, LatestMessage } from './conversations-repo.ts';
import { type ExternalHandOffs, type HandOffRequest, handOffRequestOf } from './external-handoff.ts';
import { initialDelivery, usesOutbox } from './delivery.ts';
import type { MessagesRepo } from './messages-repo.ts';
import type { OutboxRepo } from './outbox-repo.ts';

/** A file the user sent, already written to the media store. */
export interface InboundFile {
  mediaId: string;
  mimeType: string;
  size: number;
  name: string;
}

/** One message from an end user, as every channel adapter hands it to the engine. */
export interface InboundMessage {
  channel: Channel;
  externalId: string;
  text: string;
  attachments?: InboundFile[];
  /** The platform's id for the message: a redelivery with the same id is stored once. */
  channelMessageId?: string | null;
  /** The payload of a button the user pressed, when the platform sends it apart from the text. */
  choice?: string | null;
  /** The sender as the platform tells it; `phone` in international form ("+" first), checked where a contact is created. */
  profile?: { name?: string | null; phone?: string | null };
  /** The id to store the message under (the web chat answered the visitor with it already). */
  id?: string;
  /** Files the platform announced, downloaded after the commit (their jobs are queued with the message). */
  media?: PendingMedia[];
  /** A message type Desk does not understand ("location"): stored as a system note beside the message. */
  unsupportedType?: string | null;
  /** Details the channel needs to reply later (the page written to, the real channel behind Sunshine). */
  peer?: Record<string, string>;
}

/** Where the engine queues the download of a file a platform announced (the media download queue). */
export interface DownloadQueue {
  enqueue(job: { messageId: string; position: number; mediaId: string; channel: Channel; source: MediaSource }, now: string): Promise<void>;
}

/** Where the engine keeps what a platform told about the other end of a conversation. */
export interface PeerDetails {
  remember(channel: Channel, externalId: string, details: Record<string, string>, now: string): Promise<void>;
}

/** The bot's reading of a message, taken before its transaction (or null: the bot does not read it). */
export type Reading = BotReading | null;

export interface InboundResult {
  message: Message;
  /** False when this was a redelivery of a message already stored. */
  created: boolean;
  conversation: ConversationRecord;
  reply: Message | null;
  ticket: Ticket | null;
}

export interface ReplyInput {
  ticketId: string;
  agentId: string;
  text: string;
  /** Client-generated id: a retried reply is stored and sent once. */
  messageId?: string;
  hasAttachments?: boolean;
  /** The ticket as the caller's transaction has just read it (`tickets.get`), to save reading it again. */
  ticket?: Ticket;
}

export interface EngineDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  nlu: Nlu;
  agents: AgentsRepo;
  contacts: ContactsRepo;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  tickets: TicketsRepo;
  intents: IntentsRepo;
  integration: DeskIntegrationRepo;
  media: MediaRepo;
  outbox: OutboxRepo;
  downloads: DownloadQueue;
  peers: PeerDetails;
  /** Records each bot turn for the reports and the misses inbox, inside the message's transaction. */
  reports?: ReportRecorder;
  /** Told how long each bot reading took (the NLU time metric). */
  onReading?: (seconds: number) => void;
}

/**
 * Channels where the platform tells the user's phone, so a contact created by an admin with that
 * phone is recognised on the first message and their designated agent applies. Channels that
 * report a verified phone (WhatsApp) belong here.
 */
const PHONE_MATCHED_CHANNELS: ReadonlySet<Channel> = new Set(['whatsapp']);

const NEEDS_READING = Symbol('needs-reading');

/** The subject's second half on a ticket opened because the user accepted the offer of a person. */
const FALLBACK_TICKET_NAME = 'Asked for a person';

/** The hand-off the user accepted when the bot offered a person: no intent, the Desk card's destination. */
function offeredPersonRequest(destination: HandOffDestination): HandOffRequest {
  return { intentId: null, name: FALLBACK_TICKET_NAME, destination, status: 'new', priority: 'normal', zendeskGroupId: null };
}
export type NeedsReading = typeof NEEDS_READING;

/** A ticket a hand-off opened: the messages it took in (as now stored) and the notes it added. */
interface OpenedTicket {
  ticket: Ticket;
  linked: Message[];
  notes: Message[];
}
const DEFAULT_MEDIA_NAMES: Record<PendingMedia['kind'], string> = { image: 'image', audio: 'audio', video: 'video', file: 'file' };

/**
 * What happens between an end user, the bot and the agents: inbound messages, bot answers,
 * hand-offs to tickets and agent replies. Each step is one transaction; events go out after it.
 */
export class ConversationEngine {
  private external: ExternalHandOffs | null = null;

  constructor(private readonly deps: EngineDeps) {}

  /** Zendesk hand-offs (built after the engine, since they reply through it). */
  useExternalHandOffs(external: ExternalHandOffs): void {
    this.external = external;
  }

  async handleInbound(input: InboundMessage): Promise<InboundResult> {
    if (input.channelMessageId) {
      const existing = await this.deps.messages.findByChannelId(input.channel, input.channelMessageId);
      if (existing) return this.redelivery(existing);
    }
    let reading: Reading = null;
    // The bot reads outside the transaction (nlp.js is async); if the conversation went back to
    // bot mode in between, read and try again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (!reading) reading = await this.read(input);
      const events: DomainEvent[] = [];
      const read = reading;
      const result = await this.deps.db.transaction(() => this.storeInbound(input, read, events));
      if (result === NEEDS_READING) continue;
      this.deps.events.emitAll(events);
      return result;
    }
    throw new Error('The conversation kept changing mode while a message was stored.');
  }

  /**
   * The bot's reading of an inbound message, taken before its transaction; null when the bot won't
   * read it (no text, or the conversation is with an agent).
   */
  async read(input: InboundMessage): Promise<Reading> {
    const conversation = await this.deps.conversations.findByIdentity(input.channel, input.externalId);
    if (!botAnswers(conversation) || input.text.trim() === '') return null;
    const started = performance.now();
    const reading = await this.deps.nlu.read(input.text, isBotLanguage(conversation?.language) ? conversation.language : null);
    this.deps.onReading?.((performance.now() - started) / 1000);
    return reading;
  }

  /**
   * Inside the caller's transaction (the inbox processor commits a batch at once): stores the
   * message whole, with its bot answer and hand-off; `events` are emitted by the caller after the
   * commit. NEEDS_READING when the conversation is with the bot and `reading` is missing.
   */
  storeRead(input: InboundMessage, reading: Reading, events: DomainEvent[]): Promise<InboundResult | NeedsReading> {
    if (!this.deps.db.inTransaction) throw new Error('storeRead runs inside the caller’s transaction.');
    return this.storeInbound(input, reading, events);
  }

  static needsReading(result: InboundResult | NeedsReading): result is NeedsReading {
    return result === NEEDS_READING;
  }

  /** Inside a transaction: the user's message, the bot's answer and the hand-off, all or nothing. */
  private async storeInbound(input: InboundMessage, reading: BotReading | null, events: DomainEvent[]): Promise<InboundResult | typeof NEEDS_READING> {
    const { conversations, messages, tickets } = this.deps;
    // A redelivery is found by the message's insert (which then changes nothing, see below); only files
    // are stored before it, so only a message with files looks first.
    if (input.channelMessageId && (input.attachments?.length ?? 0) > 0) {
      const existing = await messages.findByChannelId(input.channel, input.channelMessageId);
      if (existing) return this.redelivery(existing);
    }
    const state = await conversations.findWithLatest(input.channel, input.externalId);
    let conversation = state?.conversation ?? null;
    const inBotMode = botAnswers(conversation);
    if (inBotMode && !reading && input.text.trim() !== '') return NEEDS_READING;

    // The contact is needed for a new conversation and for a hand-off (the designated agent) only.
    let contact: Contact | null = null;
    if (!conversation) {
      contact = await this.contactFor(input);
      conversation = await conversations.create({ contactId: contact.id, channel: input.channel, externalId: input.externalId });
    }
    if (reading?.languageDetected && conversation.language !== reading.language) {
      await conversations.setLanguage(conversation.id, reading.language);
      conversation = { ...conversation, language: reading.language };
    }

    const activeTicketId = conversation.mode === 'desk' ? conversation.activeTicketId : null;
    // The bot's last message, if the user is answering its question (read before this message is added).
    const latest = inBotMode && reading ? (state?.latest ?? null) : null;
    const pendingChoices: PendingChoices | null =
      latest?.authorKind === 'bot' && latest.quickReplies && latest.botKind ? { kind: latest.botKind, choices: latest.quickReplies } : null;
    const messageId = input.id ?? timeOrderedId();
    const stored = input.attachments?.length ? await this.storeAttachments(conversation.id, input.attachments) : [];
    const pending = pendingAttachments(input.media ?? []);
    const appended = await messages.append({
      id: messageId,
      conversationId: conversation.id,
      channel: input.channel,
      ticketId: activeTicketId,
      authorKind: 'user',
      // A pressed button arrives as its value on some platforms: the transcript shows its label.
      text: (input.choice && pendingChoices ? chosenReply(input.choice, pendingChoices.choices)?.label : null) ?? input.text,
      attachments: [...stored, ...pending.map((p) => p.attachment)],
      channelMessageId: input.channelMessageId ?? null,
    });
    // Stored already (a redelivery under the same platform id): nothing of it is done twice.
    if (!appended.created) return this.redelivery(appended.message);
    const { message } = appended;
    const created: Message[] = [message];
    const now = this.deps.clock();
    for (const [index, { mediaId, source }] of pending.entries()) {
      await this.deps.downloads.enqueue({ messageId, position: stored.length + index, mediaId, channel: input.channel, source }, now);
    }
    if (input.peer && Object.keys(input.peer).length > 0) await this.deps.peers.remember(input.channel, input.externalId, input.peer, this.deps.clock());
    if (input.unsupportedType) {
      const note = await messages.append({
        conversationId: conversation.id,
        channel: input.channel,
        ticketId: activeTicketId,
        authorKind: 'system',
        text: unsupportedNote(input.unsupportedType),
        // Derived from the user's message id, so it is found (not added twice) like the message itself.
        channelMessageId: input.channelMessageId ? `${input.channelMessageId}#unsupported` : null,
      });
      if (note.created) created.push(note.message);
    }

    let reply: Message | null = null;
    let ticket: Ticket | null = null;
    /** The messages a hand-off linked to its new ticket, as they are now stored. */
    let linkedToTicket: Message[] = [];
    let handedOff = false;
    let backToBot = false;
    if (activeTicketId) {
      if (isCancelRequest(input.text) && !(await messages.hasAgentReply(activeTicketId))) {
        const language = isBotLanguage(conversation.language) ? conversation.language : 'en';
        const cancelled = await this.cancelHandOff(conversation, activeTicketId, language, events);
        reply = cancelled.reply;
        created.push(...cancelled.created);
        backToBot = cancelled.reply !== null;
      } else {
        await tickets.touch(activeTicketId);
      }
    } else if (!inBotMode) {
      // An external agent (Zendesk) holds the conversation: the bot stays silent.
      await this.external?.userMessage(conversation, (await messages.get(message.id)) as Message);
    } else if (reading) {
      const integration = await this.deps.integration.get();
      const turn = planTurn({
        text: input.text,
        choice: input.choice ?? null,
        reading,
        pending: pendingChoices,
        missesBefore: await this.missesBefore(conversation.id, latest, integration),
        offerPerson: { enabled: integration.enabled && integration.offerPerson.enabled, afterMisses: integration.offerPerson.afterMisses },
      });
      const knownContact = contact;
      const outcome = await this.playTurn(turn, reading, conversation, integration, async () => knownContact ?? (await this.contactFor(input)), events);
      await this.deps.reports?.botTurn({
        messageId: message.id,
        conversationId: conversation.id,
        channel: input.channel,
        language: reading.language,
        text: message.text,
        kind: turnKindOf(turn),
        intentId: turn.kind === 'answer' ? turn.intentId : null,
        chosen: (turn.kind === 'answer' || turn.kind === 'accept-person' || turn.kind === 'decline-person') && turn.chosen !== null,
        answersAsk: pendingChoices?.kind === 'ask',
        handOff: outcome.handOffTo,
        // The message's time, in its conversation's order: the reports find a conversation's previous turn by it.
        at: message.createdAt,
      });
      reply = outcome.reply;
      ticket = outcome.ticket;
      linkedToTicket = outcome.linked;
      handedOff = outcome.handedOff;
      created.push(...outcome.created);
      if (ticket) {
        // The ticket's report figures go in with it (one commit for the batch, not one more after it).
        await this.deps.reports?.handOffTicket(ticket);
        events.push({ name: 'ticket.created', payload: { ticket } });
      }
    }
    if (!ticket) {
      for (const m of created) events.push({ name: 'message.created', payload: { message: m, channel: input.channel, externalId: input.externalId } });
      const changedMode = handedOff || backToBot;
      return { message, created: true, conversation: changedMode ? ((await conversations.get(conversation.id)) as ConversationRecord) : conversation, reply, ticket: null };
    }
    // A hand-off linked the messages to the ticket: they go out as the link left them (its update
    // answered them), not read back one by one. The ticket is as its insert left it.
    const linked = new Map(linkedToTicket.map((m) => [m.id, m]));
    const current = (m: Message) => linked.get(m.id) ?? m;
    for (const m of created) {
      events.push({ name: 'message.created', payload: { message: current(m), channel: input.channel, externalId: input.externalId } });
    }
    return {
      message: current(message),
      created: true,
      conversation: (await conversations.get(conversation.id)) as ConversationRecord,
      reply: reply ? current(reply) : reply,
      ticket,
    };
  }

  /**
   * The bot's misses in a row before this message, as far as the offer of a person needs them. The
   * latest message is usually the bot's answer to the previous one: when it is a bot message and not a
   * miss, the count is 0 without a query. Without the offer the count matters to nobody, and with it
   * only up to `afterMisses - 1` (planTurn offers once the misses, this message's included, reach
   * `afterMisses`): with the default of 2, a latest message that is a miss settles it without a query.
   */
  private async missesBefore(conversationId: string, latest: LatestMessage | null, integration: DeskIntegration): Promise<number> {
    if (!latest) return 0;
    if (latest.authorKind === 'bot' && latest.botKind !== 'fallback' && latest.botKind !== 'offer') return 0;
    if (!integration.enabled || !integration.offerPerson.enabled) return 0;
    const needed = integration.offerPerson.afterMisses - 1;
    if (needed <= 0) return 0;
    if (latest.authorKind === 'bot' && needed === 1) return 1;
    return missesInARow(await this.deps.messages.recentBotKinds(conversationId, needed));
  }

  /** Inside the transaction: the bot's answer to one message, as `planTurn` decided it. */
  private async playTurn(
    turn: BotTurn,
    reading: BotReading,
    conversation: ConversationRecord,
    integration: DeskIntegration,
    contactOf: () => Promise<Contact>,
    events: DomainEvent[],
  ) {
    const { language } = reading;
    const say = (text: string, botKind: BotKind, quickReplies?: QuickReply[]) =>
      this.appendOutbound(conversation, { authorKind: 'bot', text, ticketId: null, botKind, ...(quickReplies ? { quickReplies } : {}) });
    type Outcome = { reply: Message | null; ticket: Ticket | null; created: Message[]; linked: Message[]; handedOff: boolean; handOffTo: HandOffDestination | null };
    const only = (reply: Message | null): Outcome => ({ reply, ticket: null, created: reply ? [reply] : [], linked: [], handedOff: false, handOffTo: null });
    const withTicket = (reply: Message | null, handOff: OpenedTicket): Outcome => ({
      reply,
      ticket: handOff.ticket,
      created: [...(reply ? [reply] : []), ...handOff.notes],
      linked: handOff.linked,
      handedOff: false,
      handOffTo: 'desk',
    });
    const fallback = async () => only(reading.answer ? await say(reading.answer, 'fallback') : null);
    switch (turn.kind) {
      case 'answer': {
        const intent = await this.deps.intents.get(turn.intentId);
        if (!intent) return fallback();
        const text = turn.chosen ? this.deps.nlu.answerFor(intent.id, language) : reading.answer;
        const answer = text ? await say(text, 'answer') : null;
        const request = intent.desk.enabled ? handOffRequestOf(intent) : null;
        const destination = request ? ((await this.external?.destinationFor(request.destination)) ?? 'desk') : null;
        if (request && this.external && (destination === 'zendesk_support' || destination === 'zendesk_messaging')) {
          await this.external.begin({ conversation, contact: await contactOf(), request, destination, language }, events);
          return { ...only(answer), handedOff: true, handOffTo: destination };
        }
        if (destination !== 'desk' || !integration.enabled) return only(answer);
        return withTicket(answer, await this.handOff(conversation, await contactOf(), intent, turn.confidence, language));
      }
      case 'ask':
        return only(await say(botTexts.ask(language), 'ask', turn.choices));
      case 'fallback':
        return turn.offerPerson ? only(await say(botTexts.offerPerson(language), 'offer', botTexts.personChoices(language))) : fallback();
      case 'accept-person': {
        if (!integration.enabled) return fallback();
        const request = offeredPersonRequest(integration.offerPerson.destination);
        const destination = (await this.external?.destinationFor(request.destination)) ?? 'desk';
        const answer = await say(botTexts.personAccepted(language), 'answer');
        if (this.external && (destination === 'zendesk_support' || destination === 'zendesk_messaging')) {
          await this.external.begin({ conversation, contact: await contactOf(), request, destination, language }, events);
          return { ...only(answer), handedOff: true, handOffTo: destination };
        }
        return withTicket(
          answer,
          await this.openTicket(conversation, await contactOf(), language, {
            subject: ticketSubject(integration.subject, FALLBACK_TICKET_NAME),
            status: 'new',
            priority: 'normal',
            tags: [...integration.tags, 'fallback'],
            agentId: null,
            intentId: null,
            confidence: null,
          }),
        );
      }
      case 'decline-person':
        return only(await say(botTexts.personDeclined(language), 'declined'));
      default: {
        const unknown: never = turn;
        throw new Error(`Unknown bot turn ${JSON.stringify(unknown)}`);
      }
    }
  }

  /**
   * The user takes back a request for a person before an agent answered ("deixa pra lá",
   * "olvídalo", "never mind"): the ticket is solved with a system note and the bot is back.
   */
  private async cancelHandOff(conversation: ConversationRecord, ticketId: string, language: BotLanguage, events: DomainEvent[]) {
    const previous = await this.requireTicket(ticketId);
    const result = applyTicketChange(previous, { status: 'solved' }, { now: this.deps.clock() });
    if (!result.ok) {
      await this.deps.tickets.touch(ticketId, previous);
      return { reply: null, created: [] as Message[] };
    }
    const ticket = await this.deps.tickets.save(result.value);
    await this.deps.conversations.setMode(conversation.id, 'bot', null);
    const note = await this.appendSystem(conversation, ticketId, systemText.cancelledByUser(ticket.number, language));
    const reply = await this.appendOutbound(conversation, { authorKind: 'bot', text: botTexts.cancelled(language), ticketId: null, botKind: 'cancelled' });
    events.push({ name: 'ticket.updated', payload: { ticket, previous, actorId: null } });
    return { reply, created: [note, reply] };
  }

  /**
   * Hand-off rules 1, 2 and 4: the ticket takes the intent's status and priority, the integration's
   * subject and tags, the contact's designated agent (else the intent's), and every message since
   * the previous ticket was solved. A ticket created solved leaves the bot in charge.
   */
  private async handOff(conversation: ConversationRecord, contact: Contact, intent: Intent, confidence: number, language: BotLanguage) {
    const integration = await this.deps.integration.get();
    return this.openTicket(conversation, contact, language, {
      subject: ticketSubject(integration.subject, intent.name),
      status: intent.desk.status,
      priority: intent.desk.priority,
      tags: [...integration.tags],
      agentId: intent.desk.agentId,
      intentId: intent.id,
      confidence: Math.max(0, Math.min(1, confidence)),
    });
  }

  private async openTicket(
    conversation: ConversationRecord,
    contact: Contact,
    language: BotLanguage,
    spec: { subject: string; status: Ticket['status']; priority: Ticket['priority']; tags: string[]; agentId: string | null; intentId: string | null; confidence: number | null },
  ): Promise<OpenedTicket> {
    const { tickets, messages, conversations, agents } = this.deps;
    const activeAgent = async (id: string | null) => (id && (await agents.isActive(id)) ? id : null);
    const assigneeId = (await activeAgent(contact.designatedAgentId)) ?? (await activeAgent(spec.agentId));
    const ticket = await tickets.create({
      subject: spec.subject,
      status: statusAfterAssignment(spec.status, assigneeId),
      priority: spec.priority,
      tags: [...new Set(spec.tags)],
      assigneeId,
      contactId: contact.id,
      channel: conversation.channel,
      conversationId: conversation.id,
      intentId: spec.intentId,
      intentConfidence: spec.confidence,
    });
    const linked = await messages.attachUnticketed(conversation.id, ticket.id);
    const notes: Message[] = [];
    if (ticket.status === 'solved') {
      notes.push(await this.appendSystem(conversation, ticket.id, systemText.createdSolved(ticket.number, language)));
    } else {
      await conversations.setMode(conversation.id, 'desk', ticket.id);
    }
    return { ticket, linked, notes };
  }

  /** The contact behind a channel identity: known, matched by phone, or new. */
  private async contactFor(input: InboundMessage): Promise<Contact> {
    const { contacts } = this.deps;
    const identity = { channel: input.channel, externalId: input.externalId };
    const known = await contacts.findByIdentity(input.channel, input.externalId);
    if (known) return known;
    const phoneCheck = input.profile?.phone ? normalizePhone(input.profile.phone) : null;
    const phone = phoneCheck?.ok ? phoneCheck.e164 : null;
    // On a phone-matched channel a phone nobody holds is known free already: not looked up twice.
    let phoneHolder: Contact | null = null;
    if (phone) phoneHolder = await contacts.findByPhone(phone);
    if (phoneHolder && PHONE_MATCHED_CHANNELS.has(input.channel)) return contacts.addIdentity(phoneHolder.id, identity);
    const name = input.profile?.name?.trim() || defaultContactName(input.channel, input.externalId);
    const freePhone = phone && !phoneHolder ? phone : null;
    return contacts.create({ name: name.slice(0, 120), phone: freePhone }, identity);
  }

  private async storeAttachments(conversationId: string, files: InboundFile[]): Promise<Attachment[]> {
    const attachments: Attachment[] = [];
    for (const file of files) {
      await this.deps.media.insert({
        id: file.mediaId,
        conversationId,
        mimeType: file.mimeType,
        size: file.size,
        name: file.name,
        createdAt: this.deps.clock(),
      });
      attachments.push({ kind: attachmentKindOf(file.mimeType), mimeType: file.mimeType, size: file.size, name: file.name, url: `/media/${file.mediaId}` });
    }
    return attachments;
  }

  /** A bot answer or an agent reply: stored, and queued for the channel in the same transaction. */
  async appendOutbound(
    conversation: ConversationRecord,
    input: { authorKind: 'bot' | 'agent'; text: string; ticketId: string | null; agentId?: string; id?: string; botKind?: BotKind; quickReplies?: QuickReply[] },
  ): Promise<Message> {
    const { message } = await this.deps.messages.append({
      ...(input.id ? { id: input.id } : {}),
      conversationId: conversation.id,
      channel: conversation.channel,
      ticketId: input.ticketId,
      authorKind: input.authorKind,
      agentId: input.agentId ?? null,
      text: input.text,
      delivery: initialDelivery(conversation.channel),
      ...(input.botKind ? { botKind: input.botKind } : {}),
      ...(input.quickReplies ? { quickReplies: input.quickReplies } : {}),
    });
    if (usesOutbox(conversation.channel)) {
      const queued = this.deps.outbox.enqueue(message, conversation, this.deps.clock());
      if (queued) await queued;
    }
    return message;
  }

  /** A note in the ticket (shown to agents, and to the web chat visitor); never sent to other channels. */
  async appendSystem(conversation: ConversationRecord, ticketId: string, text: string): Promise<Message> {
    const { message } = await this.deps.messages.append({
      conversationId: conversation.id,
      channel: conversation.channel,
      ticketId,
      authorKind: 'system',
      text,
    });
    return message;
  }

  /**
   * An agent's reply to the user's channel. Idempotent on `messageId` (the sync queue retries),
   * refused when it carries a file or the ticket is solved.
   */
  async reply(input: ReplyInput): Promise<{ message: Message; created: boolean }> {
    const events: DomainEvent[] = [];
    const result = await this.deps.db.transaction(() => this.replyInTransaction(input, events));
    this.deps.events.emitAll(events);
    return result;
  }

  /** The reply's writes, for callers that already hold a transaction; they emit `events` after commit. */
  async replyInTransaction(input: ReplyInput, events: DomainEvent[]): Promise<{ message: Message; created: boolean }> {
    const { messages, conversations, tickets } = this.deps;
    if (input.messageId) {
      const existing = await messages.get(input.messageId);
      if (existing) {
        if (existing.ticketId !== input.ticketId || existing.authorKind !== 'agent') {
          throw new DeskError(ErrorCode.conflict, 'This message id is already used by another message.');
        }
        return { message: existing, created: false };
      }
    }
    const ticket = input.ticket?.id === input.ticketId ? input.ticket : await this.requireTicket(input.ticketId);
    const check = checkReply(ticket.status, input.hasAttachments ?? false);
    if (!check.ok) throw new DeskError(ErrorCode.ruleViolated, check.message, { rule: check.rule });
    const conversation = (await conversations.get(ticket.conversationId)) as ConversationRecord;
    const message = await this.appendOutbound(conversation, {
      authorKind: 'agent',
      agentId: input.agentId,
      text: input.text,
      ticketId: ticket.id,
      ...(input.messageId ? { id: input.messageId } : {}),
    });
    await tickets.touch(ticket.id, ticket);
    events.push({ name: 'message.created', payload: { message, channel: conversation.channel, externalId: conversation.externalId } });
    return { message, created: true };
  }

  private async redelivery(existing: Message): Promise<InboundResult> {
    const conversation = (await this.deps.conversations.get(existing.conversationId)) as ConversationRecord;
    return { message: existing, created: false, conversation, reply: null, ticket: null };
  }

  /** Refuses a write to a ticket that doesn't exist. */
  async requireTicket(ticketId: string): Promise<Ticket> {
    const ticket = await this.deps.tickets.get(ticketId);
    if (!ticket) throw new DeskError(ErrorCode.notFound, 'No such ticket.');
    return ticket;
  }
}

/** Files announced by the platform: attachments pending download, each under a new media id. */
function pendingAttachments(media: PendingMedia[]): { attachment: Attachment; mediaId: string; source: MediaSource }[] {
  return media.map((file) => {
    const mediaId = timeOrderedId();
    const attachment: Attachment = {
      kind: file.kind,
      mimeType: file.mimeType ?? 'application/octet-stream',
      size: file.size ?? 0,
      name: (file.name ?? DEFAULT_MEDIA_NAMES[file.kind]).slice(0, 200),
      url: `/media/${mediaId}`,
      download: { state: 'pending', error: null, attempts: 0 },
    };
    return { attachment, mediaId, source: file.source };
  });
}

/** A new conversation, or one in bot mode: the bot reads and answers. Desk and Zendesk agents silence it. */
function botAnswers(conversation: ConversationRecord | null): boolean {
  return !conversation || conversation.mode === 'bot';
}

function defaultContactName(channel: Channel, externalId: string): string {
  const label = channel === 'webchat' ? 'Visitor' : `${channel[0]?.toUpperCase()}${channel.slice(1)} user`;
  return `${label} ${externalId.replace(/[^\p{L}\p{N}]/gu, '').slice(0, 6)}`.trim();
}

/** System notes, in the conversation's language since the web chat visitor sees them too. */
export const systemText = {
  createdSolved: (number: number, language: BotLanguage) =>
    ({
      pt: `Ticket #${number} criado como resolvido: o bot continua atendendo.`,
      es: `Ticket #${number} creado como resuelto: el bot sigue atendiendo.`,
      en: `Ticket #${number} was created as solved: the bot keeps answering.`,
    })[language],
  solved: (number: number, agentName: string, language: BotLanguage) =>
    ({
      pt: `Ticket #${number} resolvido por ${agentName}. O bot volta a atender.`,
      es: `Ticket #${number} resuelto por ${agentName}. El bot vuelve a atender.`,
      en: `Ticket #${number} was solved by ${agentName}. The bot answers again.`,
    })[language],
  cancelledByUser: (number: number, language: BotLanguage) =>
    ({
      pt: `O usuário não precisa mais de atendimento: ticket #${number} resolvido. O bot volta a atender.`,
      es: `El usuario ya no necesita atención: ticket #${number} resuelto. El bot vuelve a atender.`,
      en: `The user no longer needs a person: ticket #${number} was solved. The bot answers again.`,
    })[language],
  reopened: (number: number, agentName: string, language: BotLanguage) =>
    ({
      pt: `Ticket #${number} reaberto por ${agentName}.`,
      es: `Ticket #${number} reabierto por ${agentName}.`,
      en: `Ticket #${number} was reopened by ${agentName}.`,
    })[language],
};
