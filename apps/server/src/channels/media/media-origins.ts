import { BlockList, isIP } from 'node:net';
import type { ChannelsConfig } from '../channels-config.ts';

/**
 * Where channel media may be downloaded from. A webhook names the file's URL, so without this list
 * anyone able to send a webhook (or a platform user writing a crafted attachment) could make Desk
 * fetch internal services.
 */
export interface MediaOriginPolicy {
  /** Origins (scheme, host, port) named by the configuration: they may resolve to private addresses. */
  explicit: ReadonlySet<string>;
  /** The platforms' documented media hosts (https only); they must resolve to public addresses. */
  hostSuffixes: readonly string[];
}

/**
 * Documented CDN hosts of the platforms' media: Meta (WhatsApp's `lookaside.fbsbx.com`, Messenger and
 * Instagram attachments on `*.fbcdn.net`, `*.cdninstagram.com`) and Sunshine Conversations (`*.smooch.io`).
 */
export const PLATFORM_MEDIA_HOST_SUFFIXES = ['.fbsbx.com', '.fbcdn.net', '.cdninstagram.com', '.smooch.io', '.telegram.org'] as const;

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

export function mediaOriginPolicy(config: Pick<ChannelsConfig, 'telegramApiUrl' | 'metaGraphUrl' | 'smoochApiUrl' | 'mediaAllowedOrigins'>): MediaOriginPolicy {
  const explicit = new Set<string>();
  for (const url of [config.telegramApiUrl, config.metaGraphUrl, config.smoochApiUrl, ...config.mediaAllowedOrigins]) {
    const origin = originOf(url);
    if (origin) explicit.add(origin);
  }
  return { explicit, hostSuffixes: PLATFORM_MEDIA_HOST_SUFFIXES };
}

export type OriginVerdict = 'explicit' | 'platform' | 'refused';

/** Whether a URL may be fetched, and whether its addresses must be public. */
export function judgeUrl(policy: MediaOriginPolicy, url: URL): OriginVerdict {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'refused';
  if (url.username || url.password) return 'refused';
  if (policy.explicit.has(url.origin)) return 'explicit';
  const host = url.hostname.toLowerCase();
  const onPlatformHost = policy.hostSuffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
  return url.protocol === 'https:' && url.port === '' && onPlatformHost ? 'platform' : 'refused';
}

const nonPublic = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  nonPublic.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 (could reach IPv4 private space)
  ['2001:db8::', 32], // documentation
] as const) {
  nonPublic.addSubnet(net, prefix, 'ipv6');
}

/** Loopback, private, link-local, CGNAT, multicast or otherwise not a public Internet address. */
export function isNonPublicAddress(address: string): boolean {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4mapped?.[1]) return isNonPublicAddress(v4mapped[1]);
  const family = isIP(address);
  if (family === 4) return nonPublic.check(address, 'ipv4');
  if (family === 6) return nonPublic.check(address, 'ipv6');
  return true;
}
