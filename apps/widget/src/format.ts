import type { Lang, Strings } from './i18n.ts';

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

/** 532 → "532 B", 1536 → "1.5 KB" (en) / "1,5 KB" (pt-BR, es). Powers of 1024. */
export function formatSize(bytes: number, lang: Lang): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value);
  return `${number} ${UNITS[unit]}`;
}

export function formatTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(date);
}

/**
 * Where the Desk API lives: `data-desk-url` when given, else the folder the script was loaded from
 * (https://desk.example/widget.js → https://desk.example/), else the page's own origin.
 * Always ends with a slash so endpoint paths resolve below it.
 */
export function deriveBase(scriptSrc: string | null | undefined, override: string | null | undefined, pageHref: string): string {
  let url: URL;
  if (override?.trim()) url = new URL(override.trim(), pageHref);
  else if (scriptSrc) url = new URL('.', scriptSrc);
  else url = new URL('/', pageHref);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** An attachment url from the server, made absolute against the API base; only http(s) and blob urls pass. */
export function safeUrl(url: string, base: string): string | null {
  try {
    const resolved = new URL(url, base);
    return ['http:', 'https:', 'blob:'].includes(resolved.protocol) ? resolved.href : null;
  } catch {
    return null;
  }
}

/** A failed request, as the widget needs it: HTTP status (0 when the network failed) and the server's words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ErrorView {
  text: string;
  detail?: string;
  retryable: boolean;
}

/** Turns a failed send into a sentence for the visitor, in their language, keeping the server's detail. */
export function describeError(error: unknown, t: Strings): ErrorView {
  if (!(error instanceof ApiError) || error.status === 0) return { text: t.network, retryable: true };
  const detail = error.message.trim() || undefined;
  const withDetail = (text: string, retryable: boolean): ErrorView =>
    detail && detail !== text ? { text, detail, retryable } : { text, retryable };
  if (error.status === 413) return withDetail(t.tooLarge, false);
  if (error.status === 415) return withDetail(t.badType, false);
  if (error.status >= 500 || error.status === 429 || error.status === 408) return withDetail(t.failed, true);
  return withDetail(detail ?? t.failed, false);
}
