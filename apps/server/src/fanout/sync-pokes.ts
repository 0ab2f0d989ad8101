import type { CommittedBatch, PokeListener } from '../sync/change-feed.ts';
import type { FanoutBus, FanoutPoke } from './fanout-bus.ts';

/** What the bridge needs of the change log (the ChangeFeed). */
export interface PokingChangeLog {
  onPoke(listener: PokeListener): () => void;
  latestSeq(): number | Promise<number>;
}

/**
 * The sync streams' pokes across instances: this instance's commits reach its own streams at once,
 * with what they committed (the streams build carried pages from it without reading the log), and go
 * out on the bus with their cursor; the other instances' come in from the bus. A `catch-up` (pokes may have been lost) reads the
 * newest cursor from the database, so each stream pokes its client if anything is newer than
 * what it sent.
 */
export class SyncPokes {
  private readonly listeners = new Set<PokeListener>();

  constructor(
    private readonly changes: PokingChangeLog,
    bus: FanoutBus,
  ) {
    changes.onPoke((cursor, batch) => {
      this.emit(cursor, batch);
      bus.publish('sync', String(cursor));
    });
    bus.subscribe('sync', (poke) => this.heard(poke));
  }

  onPoke(listener: PokeListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private heard(poke: FanoutPoke): void {
    switch (poke.kind) {
      case 'published': {
        // This instance's own commits were told to its streams when they were made.
        if (poke.origin === 'here') return;
        const cursor = Number(poke.payload);
        if (Number.isSafeInteger(cursor)) this.emit(cursor);
        return;
      }
      case 'catch-up':
        Promise.resolve()
          .then(() => this.changes.latestSeq())
          .then(
            (cursor) => this.emit(cursor),
            (error: unknown) => console.error('[desk] sync catch-up could not read the change log', error),
          );
        return;
      default:
        poke satisfies never;
    }
  }

  private emit(cursor: number, batch?: CommittedBatch): void {
    for (const listener of [...this.listeners]) listener(cursor, batch);
  }
}
