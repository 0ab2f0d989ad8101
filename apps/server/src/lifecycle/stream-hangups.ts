import type { MiddlewareHandler } from 'hono';

/**
 * The last words of an event stream closed by a shutdown: `retry` tells EventSource how long to
 * wait before it reconnects (spread out, so the clients of a stopping instance don't all land on
 * the others at the same millisecond), and a `reconnect` event says why the stream ends. The PWA
 * and the widget need nothing more: EventSource reconnects by itself when a stream ends, the PWA
 * pulls on `open`, and the widget's stream replays from its Last-Event-ID.
 */
export function reconnectHint(retryMs: number): string {
  return `retry: ${retryMs}\nevent: reconnect\ndata: {"reason":"shutting_down"}\n\n`;
}

/**
 * Keeps a handle on every open event stream (sync and web chat), so a shutdown can end them all
 * with a reconnect hint. It wraps the response body between whole SSE events (each write of the
 * route is one event), ends it after the hint, and cancels the route's stream, whose `onAbort`
 * cleanup runs as if the client had gone.
 */
export class StreamHangups {
  private readonly open = new Set<() => void>();
  private hangingUp = false;

  constructor(private readonly retryMs: () => number = () => 1_000 + Math.floor(Math.random() * 2_000)) {}

  get openStreams(): number {
    return this.open.size;
  }

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      // Event streams are GETs (EventSource sends nothing else): a webhook's POST passes untouched.
      // Even `c.res.headers` turns @hono/node-server's plain header record into a Headers object
      // that the response is then written from, and `c.res.body` into a full Fetch Response.
      if (c.req.method !== 'GET') return next();
      await next();
      if (!(c.res.headers.get('content-type') ?? '').startsWith('text/event-stream')) return;
      const body = c.res.body;
      if (!body) return;
      const reader = body.getReader();
      const encoder = new TextEncoder();
      let ended = false;
      let hangUp = () => {};
      const wrapped = new ReadableStream<Uint8Array>({
        start: (controller) => {
          hangUp = () => {
            if (ended) return;
            ended = true;
            this.open.delete(hangUp);
            controller.enqueue(encoder.encode(reconnectHint(this.retryMs())));
            controller.close();
            void reader.cancel('shutting down').catch(() => {});
          };
          this.open.add(hangUp);
          // A stream opened while draining gets the hint straight away.
          if (this.hangingUp) hangUp();
        },
        pull: async (controller) => {
          const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (ended) return;
          if (done) {
            ended = true;
            this.open.delete(hangUp);
            controller.close();
          } else controller.enqueue(value);
        },
        cancel: (reason) => {
          ended = true;
          this.open.delete(hangUp);
          return reader.cancel(reason);
        },
      });
      c.res = new Response(wrapped, c.res);
      // The socket closes with the stream: nothing else comes on a stream's connection anyway.
      c.res.headers.set('Connection', 'close');
    };
  }

  /** Ends every open stream with the reconnect hint, and any opened from now on. */
  hangUpAll(): void {
    this.hangingUp = true;
    for (const hangUp of [...this.open]) hangUp();
  }
}
