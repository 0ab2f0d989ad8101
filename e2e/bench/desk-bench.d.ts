/**
 * The shape of `window.__deskBench` (apps/web/src/local/bench-hooks.ts) as far as the benchmark
 * uses it. Declared here rather than imported, so e2e's type check doesn't pull in the web app's
 * sources.
 */
export interface BenchTicket {
  id: string;
  status: string;
  priority: string;
  assignee: string;
  assigneeId: string | null;
  updatedAt: string;
  [field: string]: unknown;
}

interface BenchCollection<T> {
  reverse(): BenchCollection<T>;
  limit(count: number): BenchCollection<T>;
  filter(predicate: (row: T) => boolean): BenchCollection<T>;
  toArray(): Promise<T[]>;
}

interface BenchTable<T> {
  toArray(): Promise<T[]>;
  bulkGet(ids: readonly string[]): Promise<(T | undefined)[]>;
  bulkPut(rows: readonly unknown[]): Promise<unknown>;
  put(row: T): Promise<unknown>;
  get(id: string): Promise<T | undefined>;
  count(): Promise<number>;
  orderBy(index: string): BenchCollection<T>;
}

export interface BenchDb {
  name: string;
  open(): Promise<unknown>;
  close(): void;
  tickets: BenchTable<BenchTicket>;
  messages: BenchTable<unknown>;
  contacts: BenchTable<unknown>;
  transaction(mode: 'rw', a: BenchTable<BenchTicket>, b: BenchTable<unknown>, scope: () => Promise<void>): Promise<void>;
}

export interface BenchFilter {
  statuses: string[];
  priorities: string[];
  assignees: string[];
}

export interface BenchLocalSync {
  db: BenchDb;
  agentId: string;
  status: { get(): { syncing: boolean; waiting: number; online: boolean } };
  act(name: string, args: Record<string, unknown>): Promise<{ ok: true } | { ok: false; error: { message: string } }>;
  /** Absent in builds before issue 16. */
  downloadingMessages?(): boolean;
}

export interface BenchTransport {
  pull(cursor: number): Promise<unknown>;
  push(): Promise<unknown>;
}

export interface DeskBenchApi {
  Dexie: { delete(name: string): Promise<void> };
  liveQuery<T>(query: () => Promise<T>): { subscribe(observer: { next(value: T): void }): { unsubscribe(): void } };
  DeskDb: new (name: string) => BenchDb;
  toLocal(entity: string, id: string, data: unknown): unknown;
  SyncEngine: new (options: { db: BenchDb; agentId: string; transport: BenchTransport; newClientId?: () => string }) => {
    syncOnce(): Promise<void>;
    stop(): void;
  };
  listTickets(db: BenchDb, filter: BenchFilter, limit?: number): Promise<BenchTicket[]>;
  /** The workspace list's query (ordered ids + counts per status); absent in older builds. */
  ticketIds?(
    db: BenchDb,
    query: BenchFilter & { matching: ReadonlySet<string> | null; newestFirst: boolean },
  ): Promise<{ ids: string[]; counts: Record<string, number> }>;
  localSync(): BenchLocalSync | null;
}

declare global {
  interface Window {
    __deskBench?: DeskBenchApi;
  }
}
