import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { isNonPublicAddress, judgeUrl, type MediaOriginPolicy, type OriginVerdict } from './media-origins.ts';

export const MAX_MEDIA_REDIRECTS = 3;

/** Refused by the media origin policy: never retried. The message is for logs, not for agents. */
export class RefusedMediaUrl extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedMediaUrl';
  }
}

/** A DNS lookup that refuses non-public answers, so the check and the connection use the same address. */
function publicOnlyLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as LookupAddress[];
      const refused = list.find((a) => isNonPublicAddress(a.address));
      if (refused || list.length === 0) {
        return callback(new RefusedMediaUrl(`${hostname} resolves to a non-public address`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

function once(url: URL, verdict: OriginVerdict, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const mustBePublic = verdict !== 'explicit';
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'GET',
      headers,
      // An explicitly allowed origin (a configured API, CHANNEL_MEDIA_ALLOWED_ORIGINS) may be private.
      ...(mustBePublic && { lookup: publicOnlyLookup() }),
      ...(signal && { signal }),
    });
    req.on('socket', (socket: Socket) => {
      // IP literals skip the lookup: check the address actually connected to as well.
      socket.once('connect', () => {
        const address = socket.remoteAddress ?? '';
        if (mustBePublic && isNonPublicAddress(address)) req.destroy(new RefusedMediaUrl(`${url.host} connected to a non-public address`));
      });
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

/**
 * A `fetch` for channel media: GET only, every URL (the first and each of at most 3 redirects)
 * checked against the origin policy, non-public addresses refused after DNS resolution and on the
 * connected socket (unless the origin was allowed explicitly). Credentials are not carried to
 * another origin.
 */
export function guardedMediaFetch(policy: MediaOriginPolicy) {
  return async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    let headers = Object.fromEntries(new Headers(init.headers).entries());
    const signal = init.signal ?? undefined;
    for (let hop = 0; ; hop += 1) {
      const verdict = judgeUrl(policy, url);
      if (verdict === 'refused') throw new RefusedMediaUrl(`${url.origin} is not an allowed media origin`);
      const res = await once(url, verdict, headers, signal);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        res.resume();
        if (hop >= MAX_MEDIA_REDIRECTS) throw new RefusedMediaUrl(`more than ${MAX_MEDIA_REDIRECTS} redirects`);
        const next = new URL(location, url);
        if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !/^(authorization|cookie)$/i.test(name)));
        url = next;
        continue;
      }
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(res.headers)) {
        if (typeof value === 'string') responseHeaders.set(name, value);
        else if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
      }
      const body = status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
      return new Response(body, { status: status < 200 || status > 599 ? 502 : status, headers: responseHeaders });
    }
  };
}
