import type { Message } from '@desk/core';
import type { MessagesRepo } from '../conversations/messages-repo.ts';
import type { Db } from '../db/database.ts';
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
    const { db } = this.deps;
    const before = new Date(now.getTime() - this.deps.days * 86_400_000).toISOString();
    const rows = await db.q
      .selectFrom('messages as m')
      .innerJoin('tickets as t', 't.id', 'm.ticket_id')
      .select(['m.id', 'm.attachments'])
      .where('t.status', '=', 'solved')
      .where('t.solved_at', '<', before)
      .where('m.attachments', 'like', '%/media/%')
      .execute();
    const expired: Expired[] = [];
    for (const row of rows) {
      const attachments = JSON.parse(row.attachments) as { url?: string }[];
      attachments.forEach((attachment, position) => {
        if (attachment.url?.startsWith('/media/')) expired.push({ message_id: row.id, position, media_id: attachment.url.slice('/media/'.length) });
      });
    }
    const error = `Removed ${this.deps.days} days after the ticket was solved.`;
    for (const row of expired) {
      const message: Message | null = await db.transaction(async (q) => {
        await q.deleteFrom('media').where('id', '=', row.media_id).execute();
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
