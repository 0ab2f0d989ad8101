import { describeFetchError, isRetryableStatus } from '../platform-http.ts';
import { RefusedMediaUrl } from './guarded-fetch.ts';

/**
 * A failed download: retryable ones (network, 5xx, 429) are tried again later. `message` is shown to
 * agents; `detail` (network internals: addresses, error codes, statuses) stays in the server's job log.
 */
export class MediaFetchError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly detail: string = message,
  ) {
    super(message);
    this.name = 'MediaFetchError';
  }
}

/** What agents see when a file could not be fetched: nothing about the network behind it. */
export const DOWNLOAD_FAILED = 'Download failed.';

export interface FetchedMedia {
  bytes: Uint8Array;
  /** The Content-Type the server answered, when any. */
  contentType: string | null;
}

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Downloads a file, refusing it as soon as it is known to exceed `maxBytes` (from Content-Length,
 * else while reading), so an oversized file never fills memory or disk.
 */
export async function downloadLimited(
  fetchFn: FetchFn,
  url: string,
  options: { headers?: Record<string, string>; maxBytes: number; timeoutMs: number; platform: string },
): Promise<FetchedMedia> {
  if (!/^https?:\/\//i.test(url)) throw new MediaFetchError(`${options.platform} gave a file URL that is not http(s).`, false);
  let response: Response;
  try {
    response = await fetchFn(url, { headers: options.headers ?? {}, signal: AbortSignal.timeout(options.timeoutMs), redirect: 'manual' });
  } catch (err) {
    const refused = err instanceof RefusedMediaUrl || (err as { cause?: unknown } | null)?.cause instanceof RefusedMediaUrl;
    const detail = `${options.platform} file could not be downloaded: ${refused ? (err as Error).message : describeFetchError(err)}`;
    throw new MediaFetchError(DOWNLOAD_FAILED, !refused, detail);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new MediaFetchError(DOWNLOAD_FAILED, isRetryableStatus(response.status), `${options.platform} answered ${response.status} to the file download.`);
  }
  const tooLarge = () => new MediaFetchError(`The file is larger than the ${formatMb(options.maxBytes)} limit.`, false);
  const declared = Number(response.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > options.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw tooLarge();
        }
        chunks.push(value);
      }
    }
  } catch (err) {
    if (err instanceof MediaFetchError) throw err;
    throw new MediaFetchError(DOWNLOAD_FAILED, true, `${options.platform} file download broke off: ${describeFetchError(err)}`);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, contentType: response.headers.get('content-type') };
}

export function formatMb(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  if (mb < 1) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
