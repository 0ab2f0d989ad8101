export const VISITOR_KEY = 'desk.visitorId';
export const TOKEN_KEY = 'desk.visitorToken';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** crypto.randomUUID only exists in secure contexts; an http:// page gets the same v4 format by hand. */
export function newVisitorId(cryptoImpl: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = crypto): string {
  if (typeof cryptoImpl.randomUUID === 'function') return cryptoImpl.randomUUID();
  const bytes = cryptoImpl.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The visitor's public id and secret token live in localStorage so the conversation survives reloads.
 * The id is created on the first message (so a page view alone opens no stream) and the server answers
 * that message with the token every later call needs. When storage is blocked both last for the page.
 */
export class VisitorStore {
  private memory: string | null = null;
  private secret: string | null = null;

  constructor(private readonly storage: (Pick<Storage, 'getItem' | 'setItem'> & Partial<Pick<Storage, 'removeItem'>>) | null) {}

  /** The secret the server issued, or null before the first message (or for a visitor from before tokens). */
  token(): string | null {
    if (this.secret) return this.secret;
    try {
      this.secret = this.storage?.getItem(TOKEN_KEY) || null;
    } catch {
      // storage blocked: memory only
    }
    return this.secret;
  }

  /** Keeps the server's answer: the id it recorded and the token. */
  save(visitorId: string, token: string): void {
    this.memory = visitorId;
    this.secret = token;
    try {
      this.storage?.setItem(VISITOR_KEY, visitorId);
      this.storage?.setItem(TOKEN_KEY, token);
    } catch {
      // keep them in memory only
    }
  }

  /** The token was refused (rotated, or the visitor is gone): the next message starts a new conversation. */
  forget(): void {
    this.memory = null;
    this.secret = null;
    try {
      this.storage?.removeItem?.(VISITOR_KEY);
      this.storage?.removeItem?.(TOKEN_KEY);
    } catch {
      // nothing stored
    }
  }

  get(): string | null {
    if (this.memory) return this.memory;
    try {
      const stored = this.storage?.getItem(VISITOR_KEY) ?? null;
      if (stored && UUID.test(stored)) this.memory = stored;
    } catch {
      // storage blocked (sandboxed iframe, privacy mode): fall back to memory
    }
    return this.memory;
  }

  getOrCreate(): string {
    const existing = this.get();
    if (existing) return existing;
    const id = newVisitorId();
    this.memory = id;
    try {
      this.storage?.setItem(VISITOR_KEY, id);
    } catch {
      // keep it in memory only
    }
    return id;
  }
}
