import { randomUUID } from 'node:crypto';
import type { Attachment, AttachmentKind, DeliveryState, Message } from '@desk/core';
import type { ConversationEngine } from '../../conversations/engine.ts';
import type { MessagesRepo } from '../../conversations/messages-repo.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import type { DomainEvent, EventBus } from '../../events/domain-events.ts';
import type { Clock } from '../../shared/clock.ts';
import type { MediaDownloadWorker } from '../media/media-download-worker.ts';
import type { MediaJobsRepo } from '../media/media-jobs-repo.ts';
import type { MessageAttachments } from '../media/message-attachments.ts';
import type { ChannelPeers } from './channel-peers.ts';
import type { ContactProfiles, NewContact } from './contact-profiles.ts';
import { type ChannelInbound, type DeliveryReport, type NormalizedWebhook, unsupportedNote } from './channel-inbound.ts';

interface Deps {
  db: Db;
  clock: Clock;
  events: EventBus;
  engine: ConversationEngine;
  messages: MessagesRepo;
  jobs: MediaJobsRepo;
  attachments: MessageAttachments;
  peers: ChannelPeers;
  mediaWorker: MediaDownloadWorker;
  /** Looks up the names of new contacts whose channel sent none (after the acknowledgement). */
  profiles?: ContactProfiles;
}

const DEFAULT_NAMES: Record<AttachmentKind, string> = { image: 'image', audio: 'audio', video: 'video', file: 'file' };
const DELIVERY_RANK: Record<DeliveryState, number> = { pending: 0, sent: 1, delivered: 2, failed: 3 };

/**
 * Stores what a messaging webhook brought, and nothing slow: every message goes through the engine
 * (one transaction: the message, the bot's answer, a hand-off), then its files are queued for
 * download and an unsupported type is noted. When `receive` resolves everything is committed, so
 * the webhook may be acknowledged; downloads and outbound sends run after. Redeliveries are safe:
 * the engine stores a channel message id once, and the follow-up steps are idempotent.
 */
export class InboundService {
  constructor(private readonly deps: Deps) {}

  async receive(webhook: NormalizedWebhook): Promise<{ stored: number; duplicates: number }> {
    let stored = 0;
    let duplicates = 0;
    let queuedMedia = false;
    const newContacts: NewContact[] = [];
    const { profiles } = this.deps;
    for (const item of webhook.messages) {
      const unknownSender = profiles?.wantsLookup(item) ?? false;
      const { message, created, conversation } = await this.deps.engine.handleInbound({
        channel: item.channel,
        externalId: item.externalId,
        text: item.text,
        channelMessageId: item.channelMessageId,
        ...(item.profile && { profile: item.profile }),
      });
      if (created) stored += 1;
      else duplicates += 1;
      const events: DomainEvent[] = [];
      inTransaction(this.deps.db, () => this.complete(message, item, events));
      this.deps.events.emitAll(events);
      queuedMedia ||= item.media.length > 0;
      const newContact = unknownSender && created ? profiles?.created(item, conversation.contactId) : null;
      if (newContact) newContacts.push(newContact);
    }
    for (const report of webhook.statuses) this.applyDeliveryReport(report);
    if (queuedMedia) this.deps.mediaWorker.kick();
    if (newContacts.length > 0) profiles?.schedule(newContacts);
    return { stored, duplicates };
  }

  /** Inside a transaction: remember the peer, queue the files, note an unsupported type. */
  private complete(stored: Message, item: ChannelInbound, events: DomainEvent[]): void {
    const { messages, jobs, attachments, peers, clock } = this.deps;
    if (item.peer && Object.keys(item.peer).length > 0) peers.remember(item.channel, item.externalId, item.peer, clock());
    const message = messages.get(stored.id) ?? stored;

    if (item.media.length > 0 && message.attachments.length === 0) {
      const pending: Attachment[] = item.media.map((media, position) => {
        const mediaId = randomUUID();
        jobs.enqueue({ messageId: message.id, position, mediaId, channel: item.channel, source: media.source }, clock());
        return {
          kind: media.kind,
          mimeType: media.mimeType ?? 'application/octet-stream',
          size: media.size ?? 0,
          name: (media.name ?? DEFAULT_NAMES[media.kind]).slice(0, 200),
          url: `/media/${mediaId}`,
          download: { state: 'pending', error: null, attempts: 0 },
        };
      });
      const updated = attachments.set(message.id, pending);
      if (updated) events.push({ name: 'message.updated', payload: { message: updated } });
    }

    if (item.unsupportedType) {
      const note = messages.append({
        conversationId: message.conversationId,
        channel: item.channel,
        ticketId: message.ticketId,
        authorKind: 'system',
        text: unsupportedNote(item.unsupportedType),
        // Derived from the user's message id, so a redelivery finds the note and adds no second one.
        channelMessageId: `${item.channelMessageId}#unsupported`,
      });
      if (note.created) {
        events.push({ name: 'message.created', payload: { message: note.message, channel: item.channel, externalId: item.externalId } });
      }
    }
  }

  /** A platform's word on a message Desk sent: moves its delivery forward, never back. */
  private applyDeliveryReport(report: DeliveryReport): void {
    const message = inTransaction(this.deps.db, () => {
      const current = this.deps.messages.findByChannelId(report.channel, report.channelMessageId);
      if (!current || (current.authorKind !== 'bot' && current.authorKind !== 'agent')) return null;
      const state = current.delivery?.state ?? 'pending';
      if (DELIVERY_RANK[report.state] <= DELIVERY_RANK[state]) return null;
      return this.deps.messages.setDelivery(current.id, {
        ...current.delivery,
        state: report.state,
        ...(report.error && { error: report.error }),
      });
    });
    if (message) this.deps.events.emit('message.updated', { message });
  }
}
