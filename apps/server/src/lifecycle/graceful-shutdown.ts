import type { Server } from 'node:http';
import type { RequestGate } from './request-gate.ts';
import type { StreamHangups } from './stream-hangups.ts';

/** A background worker: `stop()` starts no new work, `idle()` settles when the work under way is done. */
export interface DrainableJob {
  name: string;
  stop(): void;
  idle(): Promise<unknown>;
}

export interface DrainParts {
  /** The HTTP server (the `serve()` result). */
  server: Pick<Server, 'close' | 'closeIdleConnections' | 'closeAllConnections' | 'keepAliveTimeout'>;
  gate: RequestGate;
  streams: StreamHangups;
  jobs: DrainableJob[];
  /** How long requests and jobs get to finish (the bound: 10 s). */
  boundMs?: number;
}

export interface DrainOutcome {
  /** From SIGTERM to everything finished (or the bound). */
  ms: number;
  /** What was still under way when the bound cut it short (empty when everything finished). */
  cutShort: string[];
}

/**
 * SIGTERM: stop accepting connections, end the event streams with a reconnect hint, let the
 * requests in flight and the jobs under way (outbox sends, media downloads, the inbox processor,
 * Zendesk calls) finish, at most `boundMs`, then cut what is left. The caller closes the database
 * after it. A job cut short is safe: its row stays claimed until its lease or retry time, and a
 * restart (or another instance) picks it up.
 */
export async function drainServer({ server, gate, streams, jobs, boundMs = 10_000 }: DrainParts): Promise<DrainOutcome> {
  const started = performance.now();
  gate.startDraining();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A connection that goes idle from now on closes at once instead of after the keep-alive timeout.
  server.keepAliveTimeout = 1;
  server.closeIdleConnections();
  streams.hangUpAll();
  for (const job of jobs) job.stop();

  const pending = new Set<string>(['requests', 'connections', ...jobs.map((job) => job.name)]);
  const track = (name: string, promise: Promise<unknown>) =>
    promise.then(
      () => void pending.delete(name),
      () => void pending.delete(name),
    );
  const everything = Promise.all([
    track('requests', gate.idle().then(() => server.closeIdleConnections())),
    track('connections', closed),
    ...jobs.map((job) => track(job.name, job.idle())),
  ]);
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'bound'>((resolve) => {
    timer = setTimeout(() => resolve('bound'), boundMs);
  });
  const outcome = await Promise.race([everything.then(() => 'done' as const), bound]);
  clearTimeout(timer);
  const cutShort = outcome === 'bound' ? [...pending] : [];
  if (outcome === 'bound') server.closeAllConnections();
  return { ms: Math.round(performance.now() - started), cutShort };
}
