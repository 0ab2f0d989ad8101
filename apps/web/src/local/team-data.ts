import { type CannedReply, REPLY_COLLISION_RULE } from '@desk/core';
import type { DeskDb, Notice } from './db.ts';

/** Reads for the team features (canned replies, held replies); run them inside `useLiveQuery`. */

/** Every canned reply this agent may use (shared and their own), by shortcut. */
export function cannedReplies(db: DeskDb): Promise<CannedReply[]> {
  return db.cannedReplies.orderBy('shortcut').toArray();
}

/** A reply the server held because another agent replied meanwhile: its text waits for "send anyway" or "discard". */
export interface HeldReply {
  noticeId: number;
  text: string;
}

export async function heldReplies(db: DeskDb, ticketId: string): Promise<HeldReply[]> {
  const list: Notice[] = await db.notices.filter((n) => n.ticketId === ticketId && n.name === 'ticket.reply' && n.error.rule === REPLY_COLLISION_RULE).toArray();
  return list.flatMap((notice) => {
    const text = (notice.args as { text?: unknown } | undefined)?.text;
    return notice.id !== undefined && typeof text === 'string' ? [{ noticeId: notice.id, text }] : [];
  });
}
