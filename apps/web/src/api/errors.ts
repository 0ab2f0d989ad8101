/** Pure error parsing for the API client (unit-tested). */

/** A refusal from the Desk server: `{ error: { code, message, fields? } }` with the HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  /** Seconds from a Retry-After header (429), when given. */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    fields: Record<string, string> = {},
    retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }
}

/** The request never got an answer (offline, server down, DNS, CORS). */
export class NetworkError extends Error {
  constructor(cause?: unknown) {
    super('Network request failed', { cause });
    this.name = 'NetworkError';
  }
}

const FALLBACK_CODES: Record<number, string> = {
  400: 'invalid_input',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'rule_violated',
  429: 'too_many_requests',
};

/**
 * Builds an ApiError from a failed response's status and body text. Bodies that are not the Desk
 * error format (a proxy's HTML page, an empty body) still give a usable error.
 */
export function parseApiError(status: number, bodyText: string, retryAfterHeader?: string | null): ApiError {
  const fallbackCode = FALLBACK_CODES[status] ?? (status >= 500 ? 'internal_error' : 'http_error');
  const retry = retryAfterHeader ? Number.parseInt(retryAfterHeader, 10) : Number.NaN;
  const retryAfter = Number.isFinite(retry) ? retry : undefined;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error !== 'object' || error === null) {
    return new ApiError(status, fallbackCode, `Request failed (HTTP ${status})`, {}, retryAfter);
  }
  const record = error as Record<string, unknown>;
  const code = typeof record.code === 'string' && record.code ? record.code : fallbackCode;
  const message = typeof record.message === 'string' && record.message ? record.message : `Request failed (HTTP ${status})`;
  const fields: Record<string, string> = {};
  if (typeof record.fields === 'object' && record.fields !== null) {
    for (const [key, value] of Object.entries(record.fields)) {
      if (typeof value === 'string') fields[key] = value;
    }
  }
  return new ApiError(status, code, message, fields, retryAfter);
}
