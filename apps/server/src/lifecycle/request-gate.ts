import type { MiddlewareHandler } from 'hono';

/**
 * Counts the requests being handled, so a shutdown can wait for them. Once draining, every
 * response says `Connection: close`: a keep-alive connection carries no further request to an
 * instance that is going away (the load balancer opens the next one elsewhere).
 */
export class RequestGate {
  private inFlight = 0;
  private draining = false;
  private readonly waiters = new Set<() => void>();

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      this.inFlight++;
      try {
        await next();
      } finally {
        this.inFlight--;
        if (this.draining) c.header('Connection', 'close');
        if (this.inFlight === 0) this.settle();
      }
    };
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  startDraining(): void {
    this.draining = true;
  }

  /** Settles once no request is being handled. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  private settle(): void {
    for (const resolve of [...this.waiters]) resolve();
    this.waiters.clear();
  }
}
