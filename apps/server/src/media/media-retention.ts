import type { Message } from '@desk/core';
import type { MessagesRepo } from '../conversations/messages-repo.ts';
import { type Db, inTransaction } from '../db/database.ts';
import { statement } from '../db/statements.ts';
import type { EventBus } from '../events/domain-events.ts';
import type { MediaStore } from './media-store.ts';

interface Expired {
  message_id: string;
  position: number;
  media_id: string;
}

/**
 * `MEDIA_RETENTION_DAYS`: the files of tickets solved that many days ago are deleted, so stored media
 * does not grow forever. The message keeps the attachment's name and says the file was removed.
 */
export class MediaRetention {
  constructor(
    private readonly deps: { db: Db; events: EventBus; mediaStore: MediaStore; messages: MessagesRepo; days: number },
  ) {}

  /** Deletes what expired; answers how many files went. */
  async sweep(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.deps.days * 86_400_000).toISOString();
    const expired = statement(
      this.deps.db,
      `SELECT m.id AS message_id, CAST(j.key AS INTEGER) AS position, substr(json_extract(j.value, '$.url'), 8) AS media_id
         FROM messages m JOIN tickets t ON t.id = m.ticket_id, json_each(m.attachments) j
        WHERE t.status = 'solved' AND t.solved_at < ? AND json_extract(j.value, '$.url') LIKE '/media/%'`,
    ).all(before) as Expired[];
    const error = `Removed ${this.deps.days} days after the ticket was solved.`;
    for (const row of expired) {
      const message: Message | null = inTransaction(this.deps.db, () => {
        statement(this.deps.db, 'DELETE FROM media WHERE id = ?').run(row.media_id);
        return this.deps.messages.patchAttachment(row.message_id, row.position, { url: '', download: { state: 'failed', error } });
      });
      await this.deps.mediaStore.remove(row.media_id);
      if (message) this.deps.events.emit('message.updated', { message });
    }
    return expired.length;
  }

  /** Sweeps now and every hour; answers the stop. */
  start(): () => void {
    const run = () => void this.sweep().catch((err) => console.error('[desk] media retention failed', err));
    run();
    const timer = setInterval(run, 60 * 60_000);
    timer.unref();
    return () => clearInterval(timer);
  }
}
