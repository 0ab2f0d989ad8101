import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { migrations } from '../src/db/migrations.ts';
import { cacheControlFor } from '../src/web/serve-pwa.ts';
import { must } from './support/desk-fixture.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

let t: TestApp | undefined;
afterEach(() => t?.close());

describe('platform', () => {
  it('answers /healthz without a session', async () => {
    t = await createTestApp();
    const res = await t.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('answers unknown API routes with a JSON 404', async () => {
    t = await createTestApp();
    const { token } = await t.signIn();
    const res = await t.request('/api/nothing-here', { token });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('describes the API in OpenAPI and serves a readable reference', async () => {
    t = await createTestApp();
    const doc = (await (await t.request('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/agents', '/api/agents/{id}']));
    expect(await (await t.request('/api/docs')).text()).toContain('/api/docs/init.js');
    expect(await (await t.request('/api/docs/init.js')).text()).toContain('/api/openapi.json');
    expect((await t.request('/api/docs/swagger-ui-bundle.js')).status).toBe(200);
  });

  it('opens SQLite in WAL mode with foreign keys, and migrates once', async () => {
    t = await createTestApp();
    const db = must(t.services.db.sqlite);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)?.version);
    const again = openDatabase(t.config.databaseFile);
    expect(again.sqlite?.pragma('user_version', { simple: true })).toBe(migrations.at(-1)?.version);
    await again.close();
  });

  it('serves the PWA with immutable hashed assets, revalidated shell and a client-route fallback', async () => {
    const dist = join(process.env.TMPDIR ?? '/tmp', `desk-dist-${Date.now()}`);
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Desk</title>');
    writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {})');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    t = await createTestApp({ WEB_DIST: dist });
    const asset = await t.request('/assets/index-abc123.js');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const sw = await t.request('/sw.js');
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const route = await t.request('/tickets/42');
    expect(route.status).toBe(200);
    expect(route.headers.get('cache-control')).toBe('no-cache');
    expect(await route.text()).toContain('<title>Desk</title>');
    expect(cacheControlFor('/index.html')).toBe('no-cache');
  });
});
