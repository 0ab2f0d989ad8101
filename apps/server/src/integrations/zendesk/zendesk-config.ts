import { ZENDESK_UPDATE_WINDOW_MS, ZENDESK_UPDATES_PER_TICKET } from '@desk/core';
import { positiveNumber, trimSlash } from '../../env-values.ts';

/** Credentials of the Zendesk integrations that the environment may set; they win over stored ones. */
export const ZENDESK_ENV_VARS = [
  'ZENDESK_SUBDOMAIN',
  'ZENDESK_OAUTH_TOKEN',
  'ZENDESK_EMAIL',
  'ZENDESK_API_TOKEN',
  'ZENDESK_MESSAGING_APP_ID',
  'ZENDESK_MESSAGING_KEY_ID',
  'ZENDESK_MESSAGING_KEY_SECRET',
  'ZENDESK_MESSAGING_SWITCHBOARD',
  'ZENDESK_MESSAGING_WEBHOOK_SECRET',
] as const;
export type ZendeskEnvVar = (typeof ZENDESK_ENV_VARS)[number];

export interface ZendeskConfig {
  /** Replaces `https://{subdomain}.zendesk.com` (tests point it at the fake Zendesk). */
  supportApiUrl: string | null;
  /** Sunshine Conversations API base of the messaging integration. */
  sunshineApiUrl: string;
  env: Readonly<Record<string, string>>;
  requestTimeoutMs: number;
  retryBaseMs: number;
  /** Zendesk's per-ticket update limit: `updatesPerWindow` updates within `updateWindowMs`. */
  updatesPerWindow: number;
  updateWindowMs: number;
  /** A webhook whose timestamp is further than this from now is refused (replay). */
  webhookMaxAgeMs: number;
}

export function loadZendeskConfig(env: NodeJS.ProcessEnv): ZendeskConfig {
  const credentials: Record<string, string> = {};
  for (const name of ZENDESK_ENV_VARS) {
    const value = env[name]?.trim();
    if (value) credentials[name] = value;
  }
  return {
    supportApiUrl: env.ZENDESK_API_URL?.trim() ? trimSlash(env.ZENDESK_API_URL.trim()) : null,
    sunshineApiUrl: trimSlash(env.ZENDESK_MESSAGING_API_URL?.trim() || env.SMOOCH_API_URL?.trim() || 'https://api.smooch.io'),
    env: credentials,
    requestTimeoutMs: positiveNumber(env.CHANNEL_REQUEST_TIMEOUT_MS, 15_000),
    retryBaseMs: positiveNumber(env.ZENDESK_RETRY_BASE_MS, 2_000),
    updatesPerWindow: ZENDESK_UPDATES_PER_TICKET,
    updateWindowMs: positiveNumber(env.ZENDESK_UPDATE_WINDOW_MS, ZENDESK_UPDATE_WINDOW_MS),
    webhookMaxAgeMs: 5 * 60_000,
  };
}
