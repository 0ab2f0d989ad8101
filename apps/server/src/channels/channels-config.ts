import { listFrom, positiveNumber, trimSlash } from '../env-values.ts';
/**
 * Environment settings of the messaging channels. Base URLs exist so tests (and proxies) can point
 * Desk at stand-ins of the platforms; credentials set here win over the ones an admin stores.
 */
export interface ChannelsConfig {
  telegramApiUrl: string;
  metaGraphUrl: string;
  smoochApiUrl: string;
  /** Extra origins channel media may be downloaded from (`CHANNEL_MEDIA_ALLOWED_ORIGINS`, comma-separated). */
  mediaAllowedOrigins: string[];
  /** Credentials from the environment, by variable name (only the ones that are set). */
  env: Readonly<Record<string, string>>;
  /** Milliseconds before a platform call is abandoned (then retried). */
  requestTimeoutMs: number;
  /** First delay before a failed file download is retried; doubles each attempt. */
  retryBaseMs: number;
}

/** Every credential variable a channel reads; the settings module maps them to fields. */
export const CHANNEL_ENV_VARS = [
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'META_APP_SECRET',
  'META_VERIFY_TOKEN',
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_ACCESS_TOKEN',
  'MESSENGER_PAGE_ACCESS_TOKEN',
  'INSTAGRAM_ACCESS_TOKEN',
  'SMOOCH_APP_ID',
  'SMOOCH_KEY_ID',
  'SMOOCH_KEY_SECRET',
  'SMOOCH_WEBHOOK_SECRET',
] as const;
export type ChannelEnvVar = (typeof CHANNEL_ENV_VARS)[number];

export function loadChannelsConfig(env: NodeJS.ProcessEnv): ChannelsConfig {
  const credentials: Record<string, string> = {};
  for (const name of CHANNEL_ENV_VARS) {
    const value = env[name]?.trim();
    if (value) credentials[name] = value;
  }
  return {
    telegramApiUrl: trimSlash(env.TELEGRAM_API_URL?.trim() || 'https://api.telegram.org'),
    metaGraphUrl: trimSlash(env.META_GRAPH_URL?.trim() || 'https://graph.facebook.com/v21.0'),
    smoochApiUrl: trimSlash(env.SMOOCH_API_URL?.trim() || 'https://api.smooch.io'),
    mediaAllowedOrigins: listFrom(env.CHANNEL_MEDIA_ALLOWED_ORIGINS),
    env: credentials,
    requestTimeoutMs: positiveNumber(env.CHANNEL_REQUEST_TIMEOUT_MS, 15_000),
    retryBaseMs: positiveNumber(env.CHANNEL_RETRY_BASE_MS, 5_000),
  };
}
