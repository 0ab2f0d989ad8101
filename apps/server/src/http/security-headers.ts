import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './app-env.ts';

/**
 * The Content-Security-Policy of every HTML page Desk serves (the PWA, /demo, /api/docs): scripts
 * only from Desk's own files (no inline script), workers from self, no framing. Styles may be inline:
 * Solid templates and the demo page carry style attributes, and a style cannot run code.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers on every answer: no framing (X-Frame-Options, and frame-ancestors in the pages' CSP), no
 * referrer leaving Desk, the browser features Desk never uses switched off. The widget's script and
 * the web chat API carry no page CSP and stay loadable from any site (CORS and CORP allow it there).
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const common = secureHeaders({
    contentSecurityPolicy: undefined,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: false,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    permissionsPolicy: {
      camera: [],
      microphone: [],
      geolocation: [],
      payment: [],
      usb: [],
      serial: [],
      bluetooth: [],
      midi: [],
      magnetometer: [],
      gyroscope: [],
      accelerometer: [],
      displayCapture: [],
    },
  });
  return async (c, next) => {
    await common(c, next);
    const type = c.res.headers.get('content-type') ?? '';
    // Media answers carry their own sandbox CSP: keep it.
    if (/^text\/html\b/i.test(type) && !c.res.headers.has('content-security-policy')) c.res.headers.set('Content-Security-Policy', PAGE_CSP);
  };
}
