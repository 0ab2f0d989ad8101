/**
 * What a poke is about. `sync`: the change log grew (payload: the newest cursor). `webchat`: a
 * web chat visitor has a new message (payload: the visitor's id). `jobs`: a durable queue has new
 * work (payload: the queue, `inbox` or `outbox`), for the instance that holds it or takes it over.
 * `settings`: what instances keep in memory changed (payload: a `SettingsKind`), to be read again.
 * `presence`: an agent's presence beat (payload: the beat with their id and name; presence is
 * ephemeral and never in the database, so it is the one topic that carries its data).
 */
export const FANOUT_TOPICS = ['sync', 'webchat', 'jobs', 'settings', 'presence'] as const;
export type FanoutTopic = (typeof FANOUT_TOPICS)[number];

export function isFanoutTopic(value: string): value is FanoutTopic {
  return (FANOUT_TOPICS as readonly string[]).includes(value);
}

/**
 * What a subscriber hears. `published`: a cursor or an id someone published, here (this instance)
 * or elsewhere (another instance). `catch-up`: pokes may have been missed (this instance's bus
 * connection was down, or another instance's was while it published): look at the database.
 */
export type FanoutPoke = { kind: 'published'; payload: string; origin: 'here' | 'elsewhere' } | { kind: 'catch-up' };

export type FanoutListener = (poke: FanoutPoke) => void;

/**
 * Tells every Desk instance that something committed, so their open streams (agents' sync streams,
 * visitors' web chat streams) look. It carries cursors and ids, never stored data: a subscriber
 * reads what changed from the database. Publish after the commit.
 */
export interface FanoutBus {
  /** Delivers at once to this instance's subscribers, and to the other instances' when there are any. */
  publish(topic: FanoutTopic, payload: string): void;
  subscribe(topic: FanoutTopic, listener: FanoutListener): () => void;
  /** Resolves once the bus can reach the other instances (at once for the in-process bus). */
  start(): Promise<void>;
  close(): Promise<void>;
}
