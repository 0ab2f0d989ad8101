import { ApiError } from './format.ts';
import { isWebchatMessage, type WebchatMessage } from './messages.ts';

/** The public web chat API (no auth, no cookies): works from any origin the server allows. */
export class WebchatApi {
  constructor(private readonly base: string) {}

  url(path: string, visitorId?: string): string {
    const url = new URL(path, this.base);
    if (visitorId !== undefined) url.searchParams.set('visitorId', visitorId);
    return url.href;
  }

  streamUrl(visitorId: string): string {
    return this.url('channels/webchat/stream', visitorId);
  }

  /** The conversation, oldest first; a visitor that never wrote has none. */
  async list(visitorId: string): Promise<WebchatMessage[]> {
    const res = await request(this.url('channels/webchat/messages', visitorId), { method: 'GET' }, true);
    if (res.status === 404) return [];
    const body = await readBody(res);
    const messages = isRecord(body) && Array.isArray(body.messages) ? body.messages : [];
    return messages.filter(isWebchatMessage);
  }

  async sendText(visitorId: string, text: string, name?: string): Promise<WebchatMessage> {
    const payload: Record<string, string> = { visitorId, text };
    if (name) payload.name = name;
    return this.post({ body: JSON.stringify(payload), headers: { 'Content-Type': 'application/json' } });
  }

  async sendFile(visitorId: string, file: File, text?: string): Promise<WebchatMessage> {
    const form = new FormData();
    form.append('visitorId', visitorId);
    if (text) form.append('text', text);
    form.append('file', file, file.name);
    return this.post({ body: form });
  }

  private async post(init: RequestInit): Promise<WebchatMessage> {
    const res = await request(this.url('channels/webchat/messages'), { ...init, method: 'POST' });
    const body = await readBody(res);
    if (isRecord(body) && isWebchatMessage(body.message)) return body.message;
    throw new ApiError(res.status, null, 'Unexpected answer from the server.');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function request(url: string, init: RequestInit, allowNotFound = false): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, credentials: 'omit', mode: 'cors' });
  } catch {
    throw new ApiError(0, null, '');
  }
  if (res.ok || (allowNotFound && res.status === 404)) return res;
  const body = await readBody(res).catch(() => null);
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  throw new ApiError(
    res.status,
    typeof error.code === 'string' ? error.code : null,
    typeof error.message === 'string' ? error.message : '',
  );
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
