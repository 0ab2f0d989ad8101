import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';

const normalise = (address: string) => address.trim().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1').toLowerCase();

/** The TCP peer's address, or "local" when the app is driven in-process (tests). */
function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'local';
  }
}

/**
 * The client's address: the peer's, unless the peer is a trusted proxy (`TRUST_PROXY`), in which case
 * X-Forwarded-For is read from the right, skipping trusted proxies, and the first other address wins.
 * Anything a client wrote further left is ignored: it could be forged.
 */
export function resolveClientAddress(peer: string, forwardedFor: string | undefined, trusted: ReadonlySet<string>): string {
  let address = normalise(peer);
  if (!trusted.has(address) || !forwardedFor) return address;
  const hops = forwardedFor.split(',').map(normalise).filter((hop) => isIP(hop) !== 0);
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    address = hops[i] as string;
    if (!trusted.has(address)) return address;
  }
  return address;
}

/** Resolves the client's address once per request (see `resolveClientAddress`). */
export function clientAddressMiddleware(trustProxy: readonly string[]): MiddlewareHandler<AppEnv> {
  const trusted = new Set(trustProxy.map(normalise));
  return async (c, next) => {
    c.set('clientAddress', resolveClientAddress(peerAddress(c), c.req.header('x-forwarded-for'), trusted));
    await next();
  };
}

/** The client's address as resolved for this request (the peer's when the middleware did not run). */
export function clientAddress(c: Context): string {
  return (c.get('clientAddress') as string | undefined) ?? peerAddress(c);
}
