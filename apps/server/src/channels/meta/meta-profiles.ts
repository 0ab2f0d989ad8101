import type { ChannelSettings } from '../channel-settings.ts';
import type { ChannelsConfig } from '../channels-config.ts';
import type { ProfileSource } from '../inbound/contact-profiles.ts';
import { callPlatform, graphReason } from '../platform-http.ts';

interface Deps {
  settings: ChannelSettings;
  config: ChannelsConfig;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * Messenger and Instagram webhooks carry no name: the Graph API tells it, with the page (Messenger)
 * or Instagram access token. Messenger: `GET /{PSID}?fields=first_name,last_name`; Instagram:
 * `GET /{IGSID}?fields=name,username` (the name, else @username). Throws on any failure.
 */
export class MetaProfileSource implements ProfileSource {
  constructor(
    private readonly channel: 'messenger' | 'instagram',
    private readonly deps: Deps,
  ) {}

  async nameOf(externalId: string): Promise<string | null> {
    const messenger = this.channel === 'messenger';
    const token = this.deps.settings.active(this.channel) ? this.deps.settings.value(this.channel, messenger ? 'pageAccessToken' : 'accessToken') : undefined;
    if (!token) return null;
    const fields = messenger ? 'first_name,last_name' : 'name,username';
    const body = await callPlatform<Record<string, unknown> | null>({
      platform: messenger ? 'Messenger' : 'Instagram',
      method: 'GET',
      url: `${this.deps.config.metaGraphUrl}/${encodeURIComponent(externalId)}?fields=${fields}`,
      headers: { authorization: `Bearer ${token}` },
      timeoutMs: this.deps.config.requestTimeoutMs,
      reasonOf: graphReason,
    });
    if (messenger) return [text(body?.first_name), text(body?.last_name)].filter(Boolean).join(' ') || null;
    const name = text(body?.name);
    if (name) return name;
    const username = text(body?.username);
    return username ? `@${username}` : null;
  }
}
