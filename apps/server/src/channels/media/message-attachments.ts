import type { Attachment, Message } from '@desk/core';
import type { MessagesRepo } from '../../conversations/messages-repo.ts';
import type { Db } from '../../db/database.ts';
import { statement } from '../../db/statements.ts';
import type { ChangeFeed } from '../../sync/change-feed.ts';

/**
 * Rewrites the attachments of a stored message (a pending download became a file, or failed) and
 * records the change for sync. Call inside a transaction; emit `message.updated` after it.
 */
export class MessageAttachments {
  private readonly update;

  constructor(
    db: Db,
    private readonly messages: MessagesRepo,
    private readonly changes: ChangeFeed,
  ) {
    this.update = statement(db, 'UPDATE messages SET attachments = ? WHERE id = ?');
  }

  set(messageId: string, attachments: Attachment[]): Message | null {
    if (!this.messages.get(messageId)) return null;
    this.update.run(JSON.stringify(attachments), messageId);
    const message = this.messages.get(messageId) as Message;
    this.changes.record('message', messageId, 'put', message);
    return message;
  }

  /** Changes one attachment (by position) of the message; answers the message as now stored. */
  patch(messageId: string, position: number, change: Partial<Attachment>): Message | null {
    const message = this.messages.get(messageId);
    if (!message?.attachments[position]) return null;
    const attachments = message.attachments.map((a, i) => (i === position ? { ...a, ...change } : a));
    return this.set(messageId, attachments);
  }
}
