import { DEFAULT_SWITCHBOARD_INTEGRATION, type ZendeskIntegrationId, type ZendeskIntegrationView } from '@desk/core';
import { ChannelSettings, type FieldSpec, type SettingsSpec, type SettingsUpdate } from '../../channels/channel-settings.ts';
import type { Db } from '../../db/database.ts';
import type { ZendeskConfig, ZendeskEnvVar } from './zendesk-config.ts';
import { readJsonSetting, writeJsonSetting } from '../../db/settings-store.ts';

const FIELDS: Record<ZendeskIntegrationId, readonly FieldSpec<ZendeskEnvVar>[]> = {
  support: [
    {
      name: 'subdomain',
      env: 'ZENDESK_SUBDOMAIN',
      secret: false,
      pattern: /^[a-z0-9][a-z0-9-]{0,62}$/i,
      patternMessage: 'Only the subdomain: "acme" for acme.zendesk.com.',
    },
    { name: 'oauthToken', env: 'ZENDESK_OAUTH_TOKEN', secret: true, optional: true },
    { name: 'email', env: 'ZENDESK_EMAIL', secret: false, optional: true, pattern: /^[^\s@]+@[^\s@]+$/, patternMessage: 'Enter an e-mail address.' },
    { name: 'apiToken', env: 'ZENDESK_API_TOKEN', secret: true, optional: true },
  ],
  messaging: [
    { name: 'appId', env: 'ZENDESK_MESSAGING_APP_ID', secret: false, pattern: /^[\w-]{1,100}$/, patternMessage: 'Letters, digits, _ and - only.' },
    { name: 'keyId', env: 'ZENDESK_MESSAGING_KEY_ID', secret: false },
    { name: 'keySecret', env: 'ZENDESK_MESSAGING_KEY_SECRET', secret: true },
    { name: 'switchboardIntegration', env: 'ZENDESK_MESSAGING_SWITCHBOARD', secret: false, optional: true, pattern: /^[\w:.-]{1,100}$/, patternMessage: 'An integration name or id, e.g. zd:agentWorkspace.' },
    { name: 'webhookSecret', env: 'ZENDESK_MESSAGING_WEBHOOK_SECRET', secret: true, optional: true },
  ],
};

const SPEC: SettingsSpec<ZendeskIntegrationId> = {
  keyPrefix: 'zendesk',
  fields: FIELDS,
  // An OAuth access token, or an e-mail + API token pair.
  configured: { support: (v) => Boolean(v.oauthToken || (v.email && v.apiToken)) },
};

/** What Connect established, and the card's subject and tags. */
export interface ZendeskCardState {
  subject: string;
  tags: string[];
  connected: boolean;
  connectedAt: string | null;
  lastError: string | null;
  /** Support: the webhook Desk created, the trigger that calls it, and its signing secret. */
  webhookId?: string | null;
  triggerId?: number | null;
  signingSecret?: string | null;
}

const DEFAULT_STATE: Record<ZendeskIntegrationId, ZendeskCardState> = {
  support: { subject: 'Zendesk', tags: ['desk'], connected: false, connectedAt: null, lastError: null },
  messaging: { subject: 'Zendesk messaging', tags: ['desk'], connected: false, connectedAt: null, lastError: null },
};

export interface SupportCredentials {
  baseUrl: string;
  authorization: string;
  usesApiToken: boolean;
}

export interface MessagingCredentials {
  apiUrl: string;
  appId: string;
  authorization: string;
  switchboardIntegration: string;
}

/**
 * The Zendesk Support and Zendesk messaging cards: credentials stored like the channels' (secrets
 * write-only and masked, environment variables win), plus the card's subject, tags and what Connect
 * established. Changing the credentials disconnects the card until Connect succeeds again.
 */
export class ZendeskSettings {
  private readonly fields: ChannelSettings<ZendeskIntegrationId>;
  private readonly states = new Map<ZendeskIntegrationId, ZendeskCardState>();
  private readonly stateListeners = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly config: ZendeskConfig,
  ) {
    this.fields = new ChannelSettings(db, config, SPEC);
  }

  /** Reads the cards' credentials and states into memory (see `ChannelSettings.load`). */
  async load(): Promise<void> {
    await this.fields.load();
    for (const id of ['support', 'messaging'] as const) {
      this.states.set(id, { ...DEFAULT_STATE[id], ...(await readJsonSetting<Partial<ZendeskCardState>>(this.db, `zendesk_state.${id}`)) });
    }
  }

  state(id: ZendeskIntegrationId): ZendeskCardState {
    return this.states.get(id) ?? { ...DEFAULT_STATE[id] };
  }

  async saveState(id: ZendeskIntegrationId, patch: Partial<ZendeskCardState>): Promise<ZendeskCardState> {
    const next = { ...this.state(id), ...patch };
    await writeJsonSetting(this.db, `zendesk_state.${id}`, next);
    this.states.set(id, next);
    for (const listener of this.stateListeners) listener();
    return next;
  }

  /** `listener` runs after each change of credentials or card state this instance writes (not after `load`). */
  onChange(listener: () => void): void {
    this.fields.onChange(listener);
    this.stateListeners.add(listener);
  }

  values(id: ZendeskIntegrationId): Record<string, string | undefined> {
    return this.fields.values(id);
  }

  configured(id: ZendeskIntegrationId): boolean {
    return this.fields.configured(id);
  }

  /** Hand-offs may go there: configured, and Connect succeeded since the credentials last changed. */
  connected(id: ZendeskIntegrationId): boolean {
    return this.configured(id) && this.state(id).connected;
  }

  check(id: ZendeskIntegrationId, update: SettingsUpdate): Record<string, string> {
    return this.fields.check(id, update);
  }

  /** Stores new credentials; any change of them needs a new Connect. */
  async updateValues(id: ZendeskIntegrationId, values: Record<string, string | null>): Promise<void> {
    const before = JSON.stringify(this.values(id));
    await this.fields.update(id, { values });
    if (JSON.stringify(this.values(id)) !== before) await this.saveState(id, { connected: false, connectedAt: null });
  }

  support(): SupportCredentials | null {
    const v = this.values('support');
    if (!this.configured('support') || !v.subdomain) return null;
    const baseUrl = this.config.supportApiUrl ?? `https://${v.subdomain}.zendesk.com`;
    if (v.oauthToken) return { baseUrl, authorization: `Bearer ${v.oauthToken}`, usesApiToken: false };
    const basic = Buffer.from(`${v.email}/token:${v.apiToken}`).toString('base64');
    return { baseUrl, authorization: `Basic ${basic}`, usesApiToken: true };
  }

  messaging(): MessagingCredentials | null {
    const v = this.values('messaging');
    if (!this.configured('messaging') || !v.appId || !v.keyId || !v.keySecret) return null;
    return {
      apiUrl: this.config.sunshineApiUrl,
      appId: v.appId,
      authorization: `Basic ${Buffer.from(`${v.keyId}:${v.keySecret}`).toString('base64')}`,
      switchboardIntegration: v.switchboardIntegration || DEFAULT_SWITCHBOARD_INTEGRATION,
    };
  }

  view(id: ZendeskIntegrationId, webhookUrl: string): ZendeskIntegrationView {
    const state = this.state(id);
    const fields = this.fields.view(id);
    const v = this.values(id);
    return {
      id,
      subject: state.subject,
      tags: state.tags,
      configured: fields.configured,
      connected: this.connected(id),
      connectedAt: state.connectedAt,
      lastError: state.lastError,
      usesApiToken: id === 'support' && !v.oauthToken && Boolean(v.email && v.apiToken),
      webhookUrl,
      envOverrides: fields.envOverrides,
      fields: fields.fields,
    };
  }
}
