import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.ts';

let t: TestApp;
let webDist: string;
beforeAll(async () => {
  // A built PWA stand-in: its index.html as vite writes it (module script by src only).
  webDist = mkdtempSync(join(tmpdir(), 'desk-web-'));
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/index.js"></script></head><body><div id="root"></div></body></html>');
  t = await createTestApp({ WEB_DIST: webDist });
});
afterAll(async () => {
  t.close();
  rmSync(webDist, { recursive: true, force: true });
});

const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name as string, values]));

describe('security headers', () => {
  for (const path of ['/', '/tickets', '/set-password', '/demo', '/api/docs']) {
    it(`${path} has a CSP without inline script, workers from self and no framing`, async () => {
      const res = await t.request(path);
      expect(res.status).toBe(200);
      const csp = directives(res.headers.get('content-security-policy') ?? '');
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('worker-src')).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('permissions-policy')).toMatch(/camera=\(\)/);
      // What the CSP would block must not be there: every script is a file.
      const html = await res.text();
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc="/);
    });
  }

  it('the demo page’s own script is served as a file', async () => {
    const res = await t.request('/demo.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('desk.visitorToken');
  });

  it('leaves the web chat API embeddable from any site (CORS, no page CSP) and media with its sandbox', async () => {
    const api = await t.request('/channels/webchat/messages', { headers: { origin: 'https://shop.example' } });
    expect(api.headers.get('access-control-allow-origin')).toBe('*');
    expect(api.headers.get('content-security-policy')).toBeNull();
  });
});
