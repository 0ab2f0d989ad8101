import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebchatMessage } from '@desk/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createTestDesk, must, type TestDesk } from './support/desk-fixture.ts';

let desk: TestDesk | undefined;
let mediaDir: string | undefined;
afterEach(() => {
  desk?.close();
  if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
  desk = undefined;
  mediaDir = undefined;
});

describe('MEDIA_DIR', () => {
  it('is DATA_DIR/media unless set', () => {
    expect(loadConfig({ DATA_DIR: '/srv/desk' }).mediaDir).toBe('/srv/desk/media');
    expect(loadConfig({ DATA_DIR: '/srv/desk', MEDIA_DIR: '/mnt/shared-media' }).mediaDir).toBe('/mnt/shared-media');
  });

  it('holds the files users send, and they are served from it (the directory every instance mounts)', async () => {
    mediaDir = mkdtempSync(join(tmpdir(), 'desk-shared-media-'));
    const t = createTestDesk({ MEDIA_DIR: mediaDir });
    desk = t;
    const form = new FormData();
    form.set('visitorId', '6f1c1e4a-3b1f-4c7e-9d5a-0a1b2c3d4e5f');
    form.set('file', new File(['%PDF-1.4 shared'], 'invoice.pdf', { type: 'application/pdf' }));
    const res = await t.request('/channels/webchat/messages', { method: 'POST', body: form, token: null });
    expect(res.status).toBe(201);
    const { message, visitorToken } = (await res.json()) as { message: WebchatMessage; visitorToken: string };
    const url = must(message.attachments[0]).url;
    const id = must(url.split('/').at(-1));

    expect(readdirSync(mediaDir)).toEqual([id]);
    expect(readFileSync(join(mediaDir, id), 'utf8')).toBe('%PDF-1.4 shared');
    expect(existsSync(join(t.dataDir, 'media', id))).toBe(false);
    const served = await t.request(url, { token: null, headers: { 'x-visitor-token': visitorToken } });
    expect(await served.text()).toBe('%PDF-1.4 shared');
  });
});
