import { describe, expect, it } from 'vitest';
import { ApiError, parseApiError } from './errors.ts';

describe('parseApiError', () => {
  it('reads the Desk error body', () => {
    const body = JSON.stringify({
      error: { code: 'invalid_input', message: 'Check the fields.', fields: { email: 'Enter a valid e-mail address.' } },
    });
    const error = parseApiError(400, body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('Check the fields.');
    expect(error.fields).toEqual({ email: 'Enter a valid e-mail address.' });
  });

  it('keeps the Retry-After seconds of a 429', () => {
    const body = JSON.stringify({ error: { code: 'too_many_requests', message: 'Too many failed sign-ins.' } });
    const error = parseApiError(429, body, '120');
    expect(error.code).toBe('too_many_requests');
    expect(error.retryAfter).toBe(120);
  });

  it('copes with bodies that are not the Desk format', () => {
    expect(parseApiError(502, '<html>Bad gateway</html>').code).toBe('internal_error');
    expect(parseApiError(401, '').code).toBe('unauthenticated');
    expect(parseApiError(418, 'null').code).toBe('http_error');
    const odd = parseApiError(400, JSON.stringify({ error: { code: 7, fields: { a: 1, b: 'B' } } }));
    expect(odd.code).toBe('invalid_input');
    expect(odd.message).toBe('Request failed (HTTP 400)');
    expect(odd.fields).toEqual({ b: 'B' });
  });
});
