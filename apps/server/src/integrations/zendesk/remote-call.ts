import { describeFetchError, isRetryableStatus } from '../../channels/platform-http.ts';

/**
 * A failed call to Zendesk or Sunshine Conversations. Network errors, 5xx and 429 are retryable
 * (429 says when, through Retry-After); 401, 403, 422 and the other 4xx are permanent and carry
 * the service's own description.
 */
export class RemoteCallError extends Error {
  constructor(
    readonly description: string,
    readonly status: number | null,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(description);
    this.name = 'RemoteCallError';
  }
}

export interface RemoteCall {
  service: string;
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  json?: unknown;
  /** A raw body (uploads) with its content type, instead of `json`. */
  body?: { bytes: Uint8Array | FormData; contentType?: string };
  timeoutMs: number;
  /** The service's reason out of an error body. */
  reasonOf: (body: unknown) => string | null;
}

/** Retry-After is seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** One JSON call; answers the parsed body and the status, or throws `RemoteCallError`. */
export async function callRemote<T>(call: RemoteCall): Promise<{ status: number; body: T }> {
  let response: Response;
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  let body: string | Buffer | FormData | undefined;
  if (call.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.json);
  } else if (call.body) {
    if (call.body.contentType) headers['content-type'] = call.body.contentType;
    body = call.body.bytes instanceof FormData ? call.body.bytes : Buffer.from(call.body.bytes);
  }
  try {
    response = await fetch(call.url, { method: call.method ?? 'GET', headers, ...(body !== undefined && { body }), signal: AbortSignal.timeout(call.timeoutMs) });
  } catch (err) {
    throw new RemoteCallError(`${call.service} could not be reached: ${describeFetchError(err)}`, null, true);
  }
  const text = await response.text().catch(() => '');
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const reason = call.reasonOf(parsed) ?? (text.trim().slice(0, 300) || response.statusText);
    throw new RemoteCallError(
      `${call.service} answered ${response.status}: ${reason}`,
      response.status,
      isRetryableStatus(response.status),
      response.status === 429 || response.status === 503 ? retryAfterMs(response.headers.get('retry-after')) : null,
    );
  }
  return { status: response.status, body: parsed as T };
}
