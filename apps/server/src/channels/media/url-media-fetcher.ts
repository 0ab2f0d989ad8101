import type { ChannelsConfig } from '../channels-config.ts';
import type { MediaSource } from '../inbound/channel-inbound.ts';
import { downloadLimited, type FetchFn, MediaFetchError } from './media-download.ts';
import type { MediaFetcher } from './media-download-worker.ts';

/** Files announced with a plain URL (Messenger and Instagram attachments, Sunshine `mediaUrl`). */
export class UrlMediaFetcher implements MediaFetcher {
  constructor(
    private readonly platform: string,
    private readonly deps: { config: ChannelsConfig; fetch: FetchFn },
    private readonly headersFor: (url: string) => Record<string, string> = () => ({}),
  ) {}

  async fetch(source: MediaSource, maxBytes: number) {
    if (source.type !== 'url') throw new MediaFetchError('Not a media URL.', false);
    return downloadLimited(this.deps.fetch, source.url, {
      headers: this.headersFor(source.url),
      maxBytes,
      timeoutMs: this.deps.config.requestTimeoutMs * 4,
      platform: this.platform,
    });
  }
}
