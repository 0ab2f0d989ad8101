import { randomUUID } from 'node:crypto';
import { type APIRequestContext, type BrowserContext, expect, type Page } from '@playwright/test';
import { ticketOfVisitor } from './tickets.ts';

/** A page or a browser context: anything with the signed-in agent's cookies. */
type WithRequest = { request: APIRequestContext };

/** The secret each visitor of this test process was given with their first message. */
const visitorTokens = new Map<string, string>();
const tokenOf = (visitorId: string) => ({ 'X-Visitor-Token': visitorTokens.get(visitorId) ?? '' });

/** A fresh web chat visitor asks for a human: the hand-off creates a ticket this test owns. */
export async function handOff(page: WithRequest, text = 'I need a human') {
  const visitorId = randomUUID();
  const res = await page.request.post('/channels/webchat/messages', { data: { visitorId, text } });
  expect(res.ok()).toBe(true);
  visitorTokens.set(visitorId, ((await res.json()) as { visitorToken: string }).visitorToken);
  const ticket = await ticketOfVisitor(page as Page, visitorId);
  return { visitorId, ticket };
}

/** The visitor sends a file (multipart, as the widget does). */
export async function sendFile(page: WithRequest, visitorId: string, file: { name: string; mimeType: string; buffer: Buffer }, text?: string) {
  const res = await page.request.post('/channels/webchat/messages', { multipart: { ...(text ? { text } : {}), file }, headers: tokenOf(visitorId) });
  expect(res.ok(), await res.text()).toBe(true);
}

/** What the visitor's own web chat shows: their conversation as the widget reads it. */
export async function visitorMessages(page: WithRequest, visitorId: string): Promise<{ text: string | null; authorKind: string }[]> {
  const res = await page.request.get('/channels/webchat/messages', { headers: tokenOf(visitorId) });
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { messages: { text: string | null; authorKind: string }[] }).messages;
}

export async function sendText(page: WithRequest, visitorId: string, text: string) {
  const res = await page.request.post('/channels/webchat/messages', { data: { text }, headers: tokenOf(visitorId) });
  expect(res.ok()).toBe(true);
}

/** Counts notification sounds: every Web Audio source started and every media element played. */
export async function countSounds(context: BrowserContext) {
  await context.addInitScript(() => {
    const w = window as unknown as { __sounds: number; __audio: AudioContext[] };
    w.__sounds = 0;
    w.__audio = [];
    const Base = window.AudioContext;
    window.AudioContext = class extends Base {
      constructor(options?: AudioContextOptions) {
        super(options);
        w.__audio.push(this);
      }
    };
    // A beep counts only when its context is running: one started into a suspended context is silent.
    const start = AudioScheduledSourceNode.prototype.start;
    AudioScheduledSourceNode.prototype.start = function (...args: Parameters<typeof start>) {
      if (this.context.state === 'running') w.__sounds += 1;
      return start.apply(this, args);
    };
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function () {
      w.__sounds += 1;
      return play.call(this);
    };
  });
}

export const sounds = (page: Page) => page.evaluate(() => (window as unknown as { __sounds: number }).__sounds);

/** Whether the page holds a running audio context (the audio device and its rendering thread). */
export const audioRunning = (page: Page) =>
  page.evaluate(() => (window as unknown as { __audio: AudioContext[] }).__audio.some((ctx) => ctx.state === 'running'));

/** The open ticket's view. */
export const ticketView = (page: Page) => page.getByRole('article');

/** Waits until this device has nothing left to push and has pulled the answers. */
export async function settled(page: Page) {
  const indicator = page.getByRole('status', { name: 'Sync status' });
  await expect(indicator).toHaveAttribute('data-waiting', '0');
  await expect(indicator).toHaveAttribute('data-sync', 'online');
}

/** A 1×1 PNG, a tiny WAV and a text file. */
export const FILES = {
  png: {
    name: 'screenshot.png',
    mimeType: 'image/png',
    buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64'),
  },
  wav: { name: 'voice-note.wav', mimeType: 'audio/wav', buffer: wav() },
  txt: { name: 'invoice-details.txt', mimeType: 'text/plain', buffer: Buffer.from('Invoice 123: charged twice.\n') },
};

function wav(): Buffer {
  const samples = 800;
  const buf = Buffer.alloc(44 + samples * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + samples * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(8000, 24);
  buf.writeUInt32LE(16000, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(samples * 2, 40);
  return buf;
}
