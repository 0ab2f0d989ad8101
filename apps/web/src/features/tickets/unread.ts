/**
 * Unread, as the list shows it: a ticket the agent has never opened, or one someone else
 * (the user, another agent) changed after the agent last read it. The agent's own actions move
 * `updatedAt` too, so the time of the last change by others is tracked apart (`othersAt`,
 * recorded by the alerts from synced changes). Pure, unit-tested.
 */
export interface ReadMark {
  readAt: string;
}

export function isUnread(read: ReadMark | undefined, othersAt: string | undefined): boolean {
  if (!read) return true;
  return othersAt !== undefined && othersAt > read.readAt;
}

/** Whether opening the ticket should send `ticket.markRead` (once per change by others). */
export function needsMarkRead(read: ReadMark | undefined, othersAt: string | undefined): boolean {
  return isUnread(read, othersAt);
}
