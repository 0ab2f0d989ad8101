/** One server-sent event as EventSource would see it (comments are kept apart). */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
  retry?: number;
}

/**
 * Reads an event stream as it arrives: `next(match)` waits for the first event (from the start of
 * the stream) that matches and was not taken yet; `ended` settles when the server ends the stream.
 */
export class SseReader {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  readonly ended: Promise<void>;
  private taken = 0;
  private readonly waiters = new Set<() => void>();
  private done = false;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
    this.ended = this.pump();
  }

  /** Waits for the next event (after the ones already taken) that matches; fails if the stream ends first. */
  async next(match: (event: SseEvent) => boolean = () => true): Promise<SseEvent> {
    for (;;) {
      for (let i = this.taken; i < this.events.length; i++) {
        const event = this.events[i] as SseEvent;
        if (match(event)) {
          this.taken = i + 1;
          return event;
        }
      }
      if (this.done) throw new Error(`the stream ended; events: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => this.waiters.add(resolve));
    }
  }

  /** Waits until the stream has sent this comment (`: text`). */
  async comment(text: string): Promise<void> {
    while (!this.comments.includes(text)) {
      if (this.done) throw new Error(`the stream ended without ": ${text}"`);
      await new Promise<void>((resolve) => this.waiters.add(resolve));
    }
  }

  /** Waits for the next event of this type. */
  nextOf(type: string): Promise<SseEvent> {
    return this.next((event) => event.event === type);
  }

  cancel(): Promise<void> {
    return this.reader.cancel().catch(() => {});
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await this.reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
        this.wake();
      }
    } catch {
      // Cancelled or cut: the stream is over either way.
    } finally {
      this.done = true;
      this.wake();
    }
  }

  private parse(block: string): void {
    const event: SseEvent = { event: 'message', data: '' };
    const data: string[] = [];
    let isEvent = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      isEvent = true;
      if (field === 'event') event.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') event.id = value;
      else if (field === 'retry') event.retry = Number(value);
    }
    if (!isEvent) return;
    event.data = data.join('\n');
    this.events.push(event);
  }

  private wake(): void {
    for (const resolve of [...this.waiters]) resolve();
    this.waiters.clear();
  }
}
