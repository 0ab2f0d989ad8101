import { type PresenceBeat, PresenceSchedule, TYPING_TTL_MS } from '@desk/core';
import { api } from '../api/client.ts';
import { afterPaint } from '../shell/after-paint.ts';

/**
 * Tells the server which ticket this tab shows and whether the agent is typing a reply, following
 * core's PresenceSchedule: a beat when that changes, "typing" refreshed inside its TTL, and every
 * 15 s while nothing changes. Offline it sends nothing and starts afresh when back.
 */
export class PresenceReporter {
  private readonly schedule = new PresenceSchedule();
  private ticketId: string | null = null;
  private lastKeystroke = -Infinity;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly send: (beat: PresenceBeat) => Promise<unknown> = (beat) => api('/api/presence', { method: 'POST', body: beat }),
    private readonly now: () => number = Date.now,
  ) {}

  /** The ticket on screen (null: none). */
  view(ticketId: string | null): void {
    this.ticketId = ticketId;
    if (ticketId === null) this.lastKeystroke = -Infinity;
    if (ticketId !== null && this.timer === null) this.timer = setInterval(() => this.tick(), 1000);
    this.tick();
  }

  /** A keystroke in the reply box: the beat it may start goes out after the keystroke has painted. */
  typed(): void {
    const wasTyping = this.now() - this.lastKeystroke < TYPING_TTL_MS;
    this.lastKeystroke = this.now();
    if (!wasTyping) afterPaint(() => this.tick());
  }

  /** The reply went out: no longer typing. */
  sent(): void {
    this.lastKeystroke = -Infinity;
    this.tick();
  }

  private tick(): void {
    if (typeof navigator !== 'undefined' && !navigator.onLine) {
      this.schedule.reset();
      return;
    }
    const now = this.now();
    const wanted = { ticketId: this.ticketId, typing: this.ticketId !== null && now - this.lastKeystroke < TYPING_TTL_MS };
    const beat = this.schedule.next(wanted, now, this.lastKeystroke);
    if (beat) void this.send(beat).catch(() => this.schedule.reset());
    if (this.ticketId === null && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

/** This tab's reporter. */
export const presenceReporter = new PresenceReporter();
