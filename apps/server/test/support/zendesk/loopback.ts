import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

type FetchCallback = Parameters<typeof serve>[0]['fetch'];

/** A fake platform's Hono app listening on loopback (`port` 0: a free one). */
export async function serveOnLoopback(fetch: FetchCallback, port: number): Promise<{ server: ServerType; url: string }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function closeLoopback(server: ServerType | null): Promise<void> {
  if (!server) return;
  if ('closeAllConnections' in server) server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
