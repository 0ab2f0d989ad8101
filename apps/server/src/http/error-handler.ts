import { DeskError, ErrorCode, type ErrorBody } from '@desk/core';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

const codeByStatus: Record<number, ErrorCode> = {
  400: ErrorCode.invalidInput,
  401: ErrorCode.unauthenticated,
  403: ErrorCode.forbidden,
  404: ErrorCode.notFound,
  409: ErrorCode.conflict,
  413: ErrorCode.payloadTooLarge,
  415: ErrorCode.unsupportedMediaType,
  422: ErrorCode.ruleViolated,
  429: ErrorCode.tooManyRequests,
};

export function errorResponse(c: Context, status: number, body: ErrorBody): Response {
  return c.json(body, status as ContentfulStatusCode);
}

/** The one place that turns a thrown error into `{ error: { code, message, fields? } }`. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof DeskError) return errorResponse(c, err.status, err.toBody());
  if (err instanceof HTTPException) {
    const status = err.status;
    // Hono's JSON validator raises 400 "Malformed JSON in request body" for unparsable bodies.
    const code = /malformed json/i.test(err.message) ? ErrorCode.malformedJson : (codeByStatus[status] ?? ErrorCode.internal);
    const message = status === 400 && code === ErrorCode.malformedJson ? 'The request body is not valid JSON.' : err.message || 'Request refused.';
    return errorResponse(c, status, { error: { code, message } });
  }
  if (err instanceof SyntaxError) {
    return errorResponse(c, 400, { error: { code: ErrorCode.malformedJson, message: 'The request body is not valid JSON.' } });
  }
  console.error('[desk] unhandled error', c.req.method, c.req.path, err);
  return errorResponse(c, 500, { error: { code: ErrorCode.internal, message: 'Something went wrong on our side.' } });
}

export function handleNotFound(c: Context): Response {
  return errorResponse(c, 404, { error: { code: ErrorCode.notFound, message: `No route for ${c.req.method} ${c.req.path}.` } });
}
