import type { Db } from '../db/database.ts';
import type { ChannelEnvVar } from './channels-config.ts';
import { readJsonSetting, writeJsonSetting } from '../db/settings-store.ts';

/**
 * The settings groups an admin edits in the Integrations module. `meta` holds what WhatsApp,
 * Messenger and Instagram share (one webhook, one app secret); the others are one channel each.
 */
export const CHANNEL_SETTING_GROUPS = ['telegram', 'meta', 'whatsapp', 'messenger', 'instagram', 'smooch'] as const;
export type ChannelSettingGroup = (typeof CHANNEL_SETTING_GROUPS)[number];

export interface FieldSpec<Env extends string = ChannelEnvVar> {
  name: string;
  env: Env;
  secret: boolean;
  /** Not needed for the group to be configured (see `SettingsSpec.configured` for either-or rules). */
  optional?: boolean;
  /** A value the platform would refuse, refused here first. */
  pattern?: RegExp;
  patternMessage?: string;
}

export const CHANNEL_FIELDS: Record<ChannelSettingGroup, readonly FieldSpec[]> = {
  telegram: [
    { name: 'botToken', env: 'TELEGRAM_BOT_TOKEN', secret: true, pattern: /^\d+:[\w-]+$/, patternMessage: 'A bot token looks like 123456:ABC-DEF…' },
    {
      name: 'webhookSecret',
      env: 'TELEGRAM_WEBHOOK_SECRET',
      secret: true,
      pattern: /^[\w-]{1,256}$/,
      patternMessage: 'Use 1 to 256 characters: letters, digits, _ and -.',
    },
  ],
  meta: [
    { name: 'appSecret', env: 'META_APP_SECRET', secret: true },
    { name: 'verifyToken', env: 'META_VERIFY_TOKEN', secret: true },
  ],
  whatsapp: [
    { name: 'phoneNumberId', env: 'WHATSAPP_PHONE_NUMBER_ID', secret: false, pattern: /^\d{1,30}$/, patternMessage: 'Digits only.' },
    { name: 'accessToken', env: 'WHATSAPP_ACCESS_TOKEN', secret: true },
  ],
  messenger: [{ name: 'pageAccessToken', env: 'MESSENGER_PAGE_ACCESS_TOKEN', secret: true }],
  instagram: [{ name: 'accessToken', env: 'INSTAGRAM_ACCESS_TOKEN', secret: true }],
  smooch: [
    { name: 'appId', env: 'SMOOCH_APP_ID', secret: false, pattern: /^[\w-]{1,100}$/, patternMessage: 'Letters, digits, _ and - only.' },
    { name: 'keyId', env: 'SMOOCH_KEY_ID', secret: false },
    { name: 'keySecret', env: 'SMOOCH_KEY_SECRET', secret: true },
    { name: 'webhookSecret', env: 'SMOOCH_WEBHOOK_SECRET', secret: true },
  ],
};

/** Which groups must be complete for a group to work (WhatsApp needs the Meta webhook, …). */
const REQUIRES: Partial<Record<ChannelSettingGroup, ChannelSettingGroup>> = {
  whatsapp: 'meta',
  messenger: 'meta',
  instagram: 'meta',
};

/** A family of settings groups stored the same way (channels, the Zendesk integrations). */
export interface SettingsSpec<G extends string> {
  /** Rows are stored under `<keyPrefix>.<group>` in `settings`. */
  keyPrefix: string;
  fields: Record<G, readonly FieldSpec<string>[]>;
  requires?: Partial<Record<G, G>>;
  /** Extra rule on top of "every non-optional field is set" (e.g. one of two credentials). */
  configured?: Partial<Record<G, (values: Record<string, string | undefined>) => boolean>>;
}

const CHANNEL_SPEC: SettingsSpec<ChannelSettingGroup> = { keyPrefix: 'channel_settings', fields: CHANNEL_FIELDS, requires: REQUIRES };

export const MASK = '••••';

/** "••••1234" for long secrets, "••••" for short ones: enough to recognise, never enough to use. */
export function maskSecret(value: string): string {
  return value.length >= 12 ? `${MASK}${value.slice(-4)}` : MASK;
}

export function isMasked(value: string): boolean {
  return value.startsWith(MASK);
}

interface StoredGroup {
  enabled?: boolean;
  values?: Record<string, string>;
}

export interface FieldView {
  name: string;
  envVar: string;
  secret: boolean;
  /** The plain value of a non-secret field; the masked value of a secret one; null when unset. */
  value: string | null;
  /** Whether the environment sets it (and so overrides what is stored). */
  fromEnv: boolean;
}

export interface GroupView<G extends string = ChannelSettingGroup> {
  id: G;
  /** Every field needed is set (here or in the groups it requires). */
  configured: boolean;
  /** The admin's switch; a configured group that is switched off answers 404 on its webhook. */
  enabled: boolean;
  /** Configured and enabled: the webhook answers and replies go out. */
  active: boolean;
  envOverrides: string[];
  requires: G | null;
  fields: FieldView[];
}

export type SettingsUpdate = { enabled?: boolean; values?: Record<string, string | null> };


/**
 * Channel credentials: stored in `settings` (one JSON row per group), overridden field by field by
 * the environment. Only this class writes those rows: it keeps what it read or wrote, so every
 * webhook checks its secret without a query, and an admin's change applies at once, without a restart.
 */
export class ChannelSettings<G extends string = ChannelSettingGroup> {
  private readonly spec: SettingsSpec<G>;
  private readonly known = new Map<G, StoredGroup>();
  /** Effective values per group, worked out once per change: every webhook reads them (often more than once). */
  private readonly effective = new Map<G, Readonly<Record<string, string | undefined>>>();
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly config: { env: Readonly<Record<string, string>> },
    spec?: SettingsSpec<G>,
  ) {
    this.spec = spec ?? (CHANNEL_SPEC as unknown as SettingsSpec<G>);
  }

  private keyOf(group: G): string {
    return `${this.spec.keyPrefix}.${group}`;
  }

  /**
   * Reads every group from the database. Webhooks check their secret on every request, so readers
   * use this in-memory copy: loaded at start, replaced by this instance's updates, and loaded again
   * when another instance (or thread) announces its update (fanout/settings-pokes.ts, see services.ts).
   */
  async load(): Promise<void> {
    for (const group of Object.keys(this.spec.fields) as G[]) {
      this.known.set(group, (await readJsonSetting<StoredGroup>(this.db, this.keyOf(group))) ?? {});
      this.effective.delete(group);
    }
  }

  private stored(group: G): StoredGroup {
    return this.known.get(group) ?? {};
  }

  /** Effective values of a group: environment first, then what an admin stored. */
  values(group: G): Readonly<Record<string, string | undefined>> {
    const known = this.effective.get(group);
    if (known) return known;
    const stored = this.stored(group).values ?? {};
    const out: Record<string, string | undefined> = {};
    for (const field of this.spec.fields[group]) out[field.name] = this.config.env[field.env] ?? stored[field.name] ?? undefined;
    // Shared by every reader until the next change: frozen, so none can alter it for the others.
    const frozen = Object.freeze(out);
    this.effective.set(group, frozen);
    return frozen;
  }

  /** The value of one field, or undefined. */
  value(group: G, field: string): string | undefined {
    return this.values(group)[field];
  }

  configured(group: G): boolean {
    const values = this.values(group);
    const own = this.spec.fields[group].every((f) => f.optional || Boolean(values[f.name]));
    const rule = this.spec.configured?.[group];
    const required = this.spec.requires?.[group];
    return own && (!rule || rule(values)) && (!required || this.configured(required));
  }

  enabled(group: G): boolean {
    const required = this.spec.requires?.[group];
    return this.stored(group).enabled !== false && (!required || this.enabled(required));
  }

  active(group: G): boolean {
    return this.configured(group) && this.enabled(group);
  }

  view(group: G): GroupView<G> {
    const stored = this.stored(group);
    const values = this.values(group);
    const fields = this.spec.fields[group].map((f): FieldView => {
      const value = values[f.name];
      return {
        name: f.name,
        envVar: f.env,
        secret: f.secret,
        value: value === undefined ? null : f.secret ? maskSecret(value) : value,
        fromEnv: this.config.env[f.env] !== undefined,
      };
    });
    return {
      id: group,
      configured: this.configured(group),
      enabled: stored.enabled !== false,
      active: this.active(group),
      envOverrides: fields.filter((f) => f.fromEnv).map((f) => f.envVar),
      requires: this.spec.requires?.[group] ?? null,
      fields,
    };
  }

  /**
   * Checks an update without writing: answers field → message for what the platform would refuse.
   * Unknown fields are refused too, so a typo never silently does nothing.
   */
  check(group: G, update: SettingsUpdate): Record<string, string> {
    const errors: Record<string, string> = {};
    const specs = new Map(this.spec.fields[group].map((f) => [f.name, f]));
    for (const [name, value] of Object.entries(update.values ?? {})) {
      const spec = specs.get(name);
      if (!spec) {
        errors[`values.${name}`] = `Unknown setting for ${group}.`;
        continue;
      }
      if (value === null || value === '' || (spec.secret && isMasked(value))) continue;
      if (value.length > 4096) errors[`values.${name}`] = 'Too long.';
      else if (spec.pattern && !spec.pattern.test(value.trim())) errors[`values.${name}`] = spec.patternMessage ?? 'Not valid.';
    }
    return errors;
  }

  /**
   * Applies an admin's change. Secrets are write-only: an omitted value, or the masked value sent
   * back as it was shown, keeps the stored one; null or "" clears it.
   */
  async update(group: G, update: SettingsUpdate): Promise<GroupView<G>> {
    const current = this.stored(group);
    const values = { ...(current.values ?? {}) };
    for (const [name, value] of Object.entries(update.values ?? {})) {
      const spec = this.spec.fields[group].find((f) => f.name === name);
      if (!spec) continue;
      if (value === null || value.trim() === '') delete values[name];
      else if (spec.secret && isMasked(value)) continue;
      else values[name] = value.trim();
    }
    const next: StoredGroup = { enabled: update.enabled ?? current.enabled ?? true, values };
    await writeJsonSetting(this.db, this.keyOf(group), next);
    this.known.set(group, next);
    this.effective.delete(group);
    for (const listener of this.changeListeners) listener();
    return this.view(group);
  }

  /** `listener` runs after each update this instance writes (not after `load`). */
  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }
}
