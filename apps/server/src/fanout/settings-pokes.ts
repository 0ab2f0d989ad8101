import type { FanoutBus, FanoutPoke } from './fanout-bus.ts';

/**
 * What an instance keeps in memory of what admins set: the channels' credentials (webhooks check
 * them on every request), the Zendesk cards, the reports' time zone, the bot's trained model (and the
 * intents the engine reads), the Desk integration card.
 */
export const SETTINGS_KINDS = ['channels', 'zendesk', 'report-zone', 'intents', 'desk-integration'] as const;
export type SettingsKind = (typeof SETTINGS_KINDS)[number];

function isSettingsKind(value: string): value is SettingsKind {
  return (SETTINGS_KINDS as readonly string[]).includes(value);
}

type Reload = () => Promise<unknown> | undefined;

/**
 * Keeps those memory copies in step across instances (and across the request and processing
 * threads): the instance that wrote a setting announces which kind changed; the others read it
 * again from the database. Reading again never announces (no echo).
 */
export class SettingsPokes {
  constructor(
    private readonly bus: FanoutBus,
    private readonly reloads: Record<SettingsKind, Reload>,
  ) {
    bus.subscribe('settings', (poke) => this.heard(poke));
  }

  /** Call after the write committed. */
  changed(kind: SettingsKind): void {
    this.bus.publish('settings', kind);
  }

  private heard(poke: FanoutPoke): void {
    switch (poke.kind) {
      case 'published':
        if (poke.origin === 'elsewhere' && isSettingsKind(poke.payload)) this.reload(poke.payload);
        return;
      case 'catch-up':
        for (const kind of SETTINGS_KINDS) this.reload(kind);
        return;
      default:
        poke satisfies never;
    }
  }

  private reload(kind: SettingsKind): void {
    Promise.resolve()
      .then(() => this.reloads[kind]())
      .catch((error: unknown) => console.error(`[desk] reading the ${kind} settings again failed`, error));
  }
}
