import { ApiError } from './format.ts';
import { isWebchatMessage, type WebchatMessage } from './messages.ts';

/** What the server answers to a message: the stored message, and the visitor's token when it issued one. */
export interface Sent {
  message: WebchatMessage;
  visitorId: string | null;
  visitorToken: string | null;
}

const TOKEN_HEADER = 'X-Visitor-Token';
const auth = (token: string | null): Record<string, string> => (token ? { [TOKEN_HEADER]: token } : {});

/** The public web chat API (no cookies): the visitor's token travels in a header, from any origin the server allows. */
export class WebchatApi {
  constructor(private readonly base: string) {}

  url(path: string): string {
    return new URL(path, this.base).href;
  }

  /** EventSource cannot send headers: the stream alone takes the token in its URL. */
  streamUrl(token: string): string {
    const url = new URL('channels/webchat/stream', this.base);
    url.searchParams.set('visitorToken', token);
    return url.href;
  }

  /** The conversation, oldest first; a visitor that never wrote has none. */
  async list(token: string): Promise<WebchatMessage[]> {
    const res = await request(this.url('channels/webchat/messages'), { method: 'GET', headers: auth(token) }, true);
    if (res.status === 404) return [];
    const body = await readBody(res);
    const messages = isRecord(body) && Array.isArray(body.messages) ? body.messages : [];
    return messages.filter(isWebchatMessage);
  }

  async sendText(visitorId: string, token: string | null, text: string, name?: string): Promise<Sent> {
    const payload: Record<string, string> = { text };
    if (!token) payload.visitorId = visitorId;
    if (name) payload.name = name;
    return this.post({ body: JSON.stringify(payload), headers: { 'Content-Type': 'application/json', ...auth(token) } });
  }

  async sendFile(visitorId: string, token: string | null, file: File, text?: string): Promise<Sent> {
    const form = new FormData();
    if (!token) form.append('visitorId', visitorId);
    if (text) form.append('text', text);
    form.append('file', file, file.name);
    return this.post({ body: form, headers: auth(token) });
  }

  /** A visitor from before tokens claims one with their old id (once); null when there is nothing to claim. */
  async claim(visitorId: string): Promise<string | null> {
    try {
      const res = await request(this.url('channels/webchat/token'), { method: 'POST', body: JSON.stringify({ visitorId }), headers: { 'Content-Type': 'application/json' } });
      const body = await readBody(res);
      return isRecord(body) && typeof body.visitorToken === 'string' ? body.visitorToken : null;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  }

  /** A file of the conversation, fetched with the token (an <img src> could not send it), as a blob: URL. */
  async mediaUrl(token: string, url: string): Promise<string> {
    // A file just sent is stored a moment after its message is answered (the inbox): a 404 is retried.
    for (let attempt = 0; ; attempt += 1) {
      try {
        const res = await request(url, { method: 'GET', headers: auth(token) });
        return URL.createObjectURL(await res.blob());
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404) || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  }

  private async post(init: RequestInit): Promise<Sent> {
    const res = await request(this.url('channels/webchat/messages'), { ...init, method: 'POST' });
    const body = await readBody(res);
    if (isRecord(body) && isWebchatMessage(body.message)) {
      return {
        message: body.message,
        visitorId: typeof body.visitorId === 'string' ? body.visitorId : null,
        visitorToken: typeof body.visitorToken === 'string' ? body.visitorToken : null,
      };
    }
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
