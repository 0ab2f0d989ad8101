export const VISITOR_KEY = 'desk.visitorId';

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
 * The visitor's id lives in localStorage so the conversation survives reloads. It is created on the first
 * message, so a page view alone opens no stream. When storage is blocked the id lasts for the page.
 */
export class VisitorStore {
  private memory: string | null = null;

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null) {}

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
