import { ChannelSendError } from './channel-adapter.ts';

/** Statuses worth trying again: the platform is busy, rate-limiting or broken for a moment. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

export interface PlatformCall {
  /** Platform name for messages ("Telegram", "WhatsApp", …). */
  platform: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  json?: unknown;
  timeoutMs: number;
  /** Pulls the platform's own reason out of an error body. */
  reasonOf: (body: unknown) => string | null;
}

/**
 * One JSON call to a platform's API. Network errors, timeouts, 5xx and 429 throw a retryable
 * `ChannelSendError`; any other non-2xx throws a permanent one carrying the platform's reason.
 */
export async function callPlatform<T = unknown>(call: PlatformCall): Promise<T> {
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method ?? 'POST',
      headers: { accept: 'application/json', ...(call.json !== undefined && { 'content-type': 'application/json' }), ...call.headers },
      ...(call.json !== undefined && { body: JSON.stringify(call.json) }),
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (err) {
    throw new ChannelSendError(`${call.platform} could not be reached: ${describeFetchError(err)}`, true);
  }
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const reason = call.reasonOf(body) ?? (text.slice(0, 200) || response.statusText);
    throw new ChannelSendError(`${call.platform} answered ${response.status}: ${reason}`, isRetryableStatus(response.status));
  }
  return body as T;
}

export function describeFetchError(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timed out';
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}

/** A Graph API error body: `{ error: { message, code } }`. */
export function graphReason(body: unknown): string | null {
  const error = (body as { error?: { message?: unknown; code?: unknown } } | null)?.error;
  if (!error || typeof error.message !== 'string') return null;
  return typeof error.code === 'number' ? `${error.message} (code ${error.code})` : error.message;
}
