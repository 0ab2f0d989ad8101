/**
 * The sync benchmark's in-page parts. Each function is passed to `page.evaluate`, so it must be
 * self-contained: it reaches the app's real local-store code through `window.__deskBench`
 * (apps/web/src/local/bench-hooks.ts, loaded when the page URL has `?bench`).
 */
import type { BenchDb, BenchTicket } from './desk-bench.d.ts';

export interface Stats {
  median: number;
  p95: number;
  min: number;
  max: number;
  runs: number;
}

export interface BootstrapResult {
  rows: { tickets: number; messages: number; pages: number };
  /** Milliseconds per round, in run order. */
  raw: number[];
  rawPaged: number[];
  app: number[];
}

export interface ListResult {
  tickets: number;
  matching: number;
  cold: number;
  /** The workspace list (ticketIds → bulkGet of the first 50), when the build has it. */
  idsCold: number | null;
  ids: number[];
  filtered: number[];
  unfiltered: number[];
  scan: number[];
  multi: number[];
}

export interface ActionResult {
  /** `act` → DOM row text changed. */
  actDom: number[];
  /** `act` → liveQuery observer saw the value. */
  actLive: number[];
  /** `act` → its promise resolved (transaction committed). */
  actCommit: number[];
  /** `act` → the next animation frame after the DOM change. */
  actPaint: number[];
  /** Raw Dexie put of the same change → DOM row text changed. */
  putDom: number[];
  putLive: number[];
}

/** Waits until the page's bench hooks are there (the dynamic import is async). */
export async function waitForHooks(): Promise<void> {
  for (let i = 0; i < 200 && !window.__deskBench; i++) await new Promise((r) => setTimeout(r, 25));
  if (!window.__deskBench) throw new Error('bench hooks not loaded');
}

/**
 * (a) Bootstrap: 10,000 tickets and 100,000 messages as the server's pull pages, applied by the
 * app's SyncEngine (pull loop + applyPull) into a fresh DeskDb, against a raw bulkPut of the same
 * rows into another fresh DeskDb (same schema and durability). Rounds alternate the order.
 */
export async function bootstrapBench(params: { tickets: number; messagesPerTicket: number; pageSize: number; rounds: number; paged: boolean }): Promise<BootstrapResult> {
  // Everything the benchmark needs is inside this function: it runs in the page.
  const bench = window.__deskBench;
  if (!bench) throw new Error('bench hooks not loaded');
  const { DeskDb, Dexie, SyncEngine, toLocal } = bench;
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const statuses = ['new', 'open', 'pending', 'on-hold', 'solved'] as const;
  const priorities = ['low', 'normal', 'high', 'urgent'] as const;
  const agents = ['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5', null];
  const start = Date.parse('2025-01-01T00:00:00Z');
  const changes: { seq: number; entity: 'ticket' | 'message'; id: string; op: 'put'; data: unknown }[] = [];
  const tickets: unknown[] = [];
  const messages: unknown[] = [];
  let seq = 0;
  for (let i = 0; i < params.tickets; i++) {
    const created = start + Math.floor(random() * 90 * 86_400_000);
    const ticket = {
      id: crypto.randomUUID(),
      number: i + 1,
      subject: `Ticket ${i + 1}: cannot finish the checkout with my card`,
      status: pick(statuses),
      priority: pick(priorities),
      tags: i % 3 === 0 ? ['vip', 'billing'] : [],
      assigneeId: pick(agents),
      contactId: `contact-${i % 2000}`,
      channel: 'webchat',
      conversationId: crypto.randomUUID(),
      intentId: null,
      intentConfidence: null,
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(created + Math.floor(random() * 86_400_000)).toISOString(),
      solvedAt: null,
    };
    changes.push({ seq: ++seq, entity: 'ticket', id: ticket.id, op: 'put', data: ticket });
    tickets.push(toLocal('ticket', ticket.id, ticket));
    for (let j = 0; j < params.messagesPerTicket; j++) {
      const message = {
        id: crypto.randomUUID(),
        conversationId: ticket.conversationId,
        ticketId: ticket.id,
        authorKind: j % 2 === 0 ? 'user' : 'agent',
        agentId: j % 2 === 0 ? null : ticket.assigneeId,
        text: `Message ${j + 1} of ticket ${i + 1}: the payment page says my card was declined, but the bank says it was not.`,
        attachments: [],
        channelMessageId: null,
        delivery: j % 2 === 0 ? null : { state: 'sent' },
        createdAt: new Date(created + j * 60_000).toISOString(),
      };
      changes.push({ seq: ++seq, entity: 'message', id: message.id, op: 'put', data: message });
      messages.push(message);
    }
  }
  // The pages the server would send (cursor = last seq of the page), keyed by the cursor asked for.
  const pages = new Map<number, { cursor: number; changes: typeof changes; lastMutationIds: Record<string, number>; hasMore: boolean; epoch: string }>();
  for (let from = 0; from < changes.length; from += params.pageSize) {
    const slice = changes.slice(from, from + params.pageSize);
    pages.set(from, { cursor: from + slice.length, changes: slice, lastMutationIds: {}, hasMore: from + params.pageSize < changes.length, epoch: 'bench-epoch' });
  }
  const transport = {
    pull: async (cursor: number) => {
      const page = pages.get(cursor);
      if (!page) throw new Error(`no page at ${cursor}`);
      return page;
    },
    push: async () => ({ results: [] }),
  };

  const fresh = async (name: string) => {
    await Dexie.delete(name);
    const db = new DeskDb(name);
    await db.open();
    return db;
  };
  const check = async (db: BenchDb, what: string) => {
    const [t, m] = await Promise.all([db.tickets.count(), db.messages.count()]);
    if (t !== tickets.length || m !== messages.length) throw new Error(`${what}: ${t} tickets, ${m} messages`);
  };
  const runRaw = async (round: number) => {
    const db = await fresh(`bench-raw-${round}`);
    const t0 = performance.now();
    await db.tickets.bulkPut(tickets as never[]);
    await db.messages.bulkPut(messages as never[]);
    const ms = performance.now() - t0;
    await check(db, 'raw bulkPut');
    db.close();
    await Dexie.delete(db.name);
    return ms;
  };
  const runRawPaged = async (round: number) => {
    // Informative: raw bulkPut with the same page boundaries, one transaction per page.
    const db = await fresh(`bench-rawpaged-${round}`);
    const t0 = performance.now();
    for (const page of pages.values()) {
      const ts = page.changes.filter((c) => c.entity === 'ticket').map((c) => toLocal('ticket', c.id, c.data));
      const ms = page.changes.filter((c) => c.entity === 'message').map((c) => c.data);
      await db.transaction('rw', db.tickets, db.messages, async () => {
        await db.tickets.bulkPut(ts as never[]);
        await db.messages.bulkPut(ms as never[]);
      });
    }
    const ms = performance.now() - t0;
    await check(db, 'raw paged bulkPut');
    db.close();
    await Dexie.delete(db.name);
    return ms;
  };
  const runApp = async (round: number) => {
    const db = await fresh(`bench-apply-${round}`);
    const engine = new SyncEngine({ db, agentId: 'agent-1', transport, newClientId: () => 'bench-client-0001' });
    const t0 = performance.now();
    await engine.syncOnce();
    const ms = performance.now() - t0;
    engine.stop();
    await check(db, 'app apply');
    db.close();
    await Dexie.delete(db.name);
    return ms;
  };

  const result: BootstrapResult = { rows: { tickets: tickets.length, messages: messages.length, pages: pages.size }, raw: [], rawPaged: [], app: [] };
  // Warm-up (JIT, IndexedDB backing store): a tenth of the data, not recorded.
  {
    const db = await fresh('bench-warm');
    await db.tickets.bulkPut(tickets.slice(0, 1000) as never[]);
    await db.messages.bulkPut(messages.slice(0, 10_000) as never[]);
    db.close();
    await Dexie.delete('bench-warm');
  }
  for (let round = 0; round < params.rounds; round++) {
    if (round % 2 === 0) {
      result.raw.push(await runRaw(round));
      result.app.push(await runApp(round));
    } else {
      result.app.push(await runApp(round));
      result.raw.push(await runRaw(round));
    }
    if (params.paged) result.rawPaged.push(await runRawPaged(round));
  }
  return result;
}

/**
 * (b) The ticket list's first 50 rows over 50,000 tickets with three filters set, through the
 * list's own `listTickets`. Baseline: the unfiltered newest 50 (`orderBy('updatedAt')`).
 */
export async function listBench(params: { tickets: number; runs: number }): Promise<ListResult> {
  const bench = window.__deskBench;
  if (!bench) throw new Error('bench hooks not loaded');
  const { DeskDb, Dexie, listTickets, ticketIds, toLocal } = bench;
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const statuses = ['new', 'open', 'pending', 'on-hold', 'solved'] as const;
  const priorities = ['low', 'normal', 'high', 'urgent'] as const;
  const agents = ['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5', null];
  const start = Date.parse('2025-01-01T00:00:00Z');
  const rows = Array.from({ length: params.tickets }, (_, i) => {
    const created = start + Math.floor(random() * 180 * 86_400_000);
    const ticket = {
      id: crypto.randomUUID(),
      number: i + 1,
      subject: `Ticket ${i + 1}: where is my order?`,
      status: pick(statuses),
      priority: pick(priorities),
      tags: i % 4 === 0 ? ['vip'] : [],
      assigneeId: pick(agents),
      contactId: `contact-${i % 5000}`,
      channel: 'webchat' as const,
      conversationId: crypto.randomUUID(),
      intentId: null,
      intentConfidence: null,
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(created + Math.floor(random() * 86_400_000)).toISOString(),
      solvedAt: null,
    };
    return toLocal('ticket', ticket.id, ticket);
  });
  await Dexie.delete('bench-list');
  const db = new DeskDb('bench-list');
  await db.tickets.bulkPut(rows as never[]);
  db.close();
  // Reopen, so the first query is as cold as when the list opens.
  const cold = new DeskDb('bench-list');
  const filter = { statuses: ['open'] as const, priorities: ['high'] as const, assignees: ['agent-2'] };
  const matches = (t: BenchTicket) => t.status === 'open' && t.priority === 'high' && t.assignee === 'agent-2';
  const matching = (rows as BenchTicket[]).filter(matches).length;
  let t0 = performance.now();
  const first = await listTickets(cold, { statuses: [...filter.statuses], priorities: [...filter.priorities], assignees: filter.assignees }, 50);
  const coldMs = performance.now() - t0;
  if (first.length !== Math.min(50, matching) || !first.every(matches)) throw new Error('listTickets answered the wrong rows');
  for (let i = 1; i < first.length; i++) if ((first[i - 1]?.updatedAt ?? '') < (first[i]?.updatedAt ?? '')) throw new Error('listTickets is not newest-first');

  // The workspace list: every matching id in order (for the virtual list), then the first 50 rows.
  const firstRows = ticketIds
    ? async (db: BenchDb) => {
        const { ids } = await ticketIds(db, { statuses: ['open'], priorities: ['high'], assignees: ['agent-2'], matching: null, newestFirst: true });
        return (await db.tickets.bulkGet(ids.slice(0, 50))) as BenchTicket[];
      }
    : null;
  let idsCold: number | null = null;
  if (firstRows) {
    cold.close();
    await cold.open();
    t0 = performance.now();
    const rows50 = await firstRows(cold);
    idsCold = performance.now() - t0;
    if (rows50.length !== Math.min(50, matching) || !rows50.every(matches)) throw new Error('ticketIds answered the wrong rows');
    if (rows50.map((r) => r.id).join() !== first.map((r) => r.id).join()) throw new Error('ticketIds and listTickets disagree');
  }
  const time = async (fn: () => Promise<unknown>) => {
    const out: number[] = [];
    for (let i = 0; i < 3; i++) await fn();
    for (let i = 0; i < params.runs; i++) {
      t0 = performance.now();
      await fn();
      out.push(performance.now() - t0);
    }
    return out;
  };
  const result: ListResult = {
    tickets: rows.length,
    matching,
    cold: coldMs,
    idsCold,
    ids: firstRows ? await time(() => firstRows(cold)) : [],
    filtered: await time(() => listTickets(cold, { statuses: ['open'], priorities: ['high'], assignees: ['agent-2'] }, 50)),
    unfiltered: await time(() => cold.tickets.orderBy('updatedAt').reverse().limit(50).toArray()),
    scan: await time(() => cold.tickets.orderBy('updatedAt').reverse().filter(matches).limit(50).toArray()),
    multi: await time(() => listTickets(cold, { statuses: ['open', 'pending'], priorities: ['high', 'urgent'], assignees: ['agent-2', 'none'] }, 50)),
  };
  cold.close();
  await Dexie.delete('bench-list');
  return result;
}

/**
 * (c) An action's time to show on screen, on the signed-in app's ticket page: from calling
 * `act('ticket.setPriority')` to the ticket list row's text changing (MutationObserver), to the
 * liveQuery observer seeing it, and to the next frame. Baseline: a raw Dexie put of the same change.
 */
export async function actionBench(params: { ticketId: string; runs: number }): Promise<ActionResult> {
  const bench = window.__deskBench;
  if (!bench) throw new Error('bench hooks not loaded');
  const { liveQuery } = bench;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let sync = bench.localSync();
  for (let i = 0; i < 200 && !sync; i++) {
    await sleep(25);
    sync = bench.localSync();
  }
  if (!sync) throw new Error('not signed in');
  const { db } = sync;
  const id = params.ticketId;
  const cell = () => document.querySelector(`.ticket-row[data-ticket-id="${id}"] :is([data-field="priority"], .pill[class*="priority-"])`);
  for (let i = 0; i < 200 && !cell(); i++) await sleep(25);
  if (!cell()) throw new Error('ticket row not on screen');

  type Want = { priority: string; text: string | null | undefined; t0: number; live?: number; dom?: number; done: () => void };
  let want: Want | null = null;
  const settle = () => {
    if (want && want.live !== undefined && want.dom !== undefined) want.done();
  };
  const sub = liveQuery(() => db.tickets.get(id)).subscribe({
    next: (ticket) => {
      if (want && want.live === undefined && ticket?.priority === want.priority) {
        want.live = performance.now() - want.t0;
        settle();
      }
    },
  });
  const observer = new MutationObserver(() => {
    if (want && want.dom === undefined && cell()?.textContent !== want.text) {
      want.dom = performance.now() - want.t0;
      settle();
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  const idle = async () => {
    for (let i = 0; i < 300; i++) {
      const s = sync.status.get();
      if (!s.syncing && s.waiting === 0) return;
      await sleep(10);
    }
  };
  const priorities = ['low', 'normal', 'high', 'urgent'] as const;
  const result: ActionResult = { actDom: [], actLive: [], actCommit: [], actPaint: [], putDom: [], putLive: [] };

  const once = async (how: 'act' | 'put', record: boolean) => {
    await idle();
    await sleep(30);
    const current = await db.tickets.get(id);
    if (!current) throw new Error('ticket gone');
    const next = priorities[(priorities.indexOf(current.priority as (typeof priorities)[number]) + 1) % priorities.length] as (typeof priorities)[number];
    const text = cell()?.textContent;
    let done: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => {
      done = resolve;
    });
    const timeout = sleep(3000).then(() => {
      throw new Error(`${how}: the change never showed`);
    });
    const t0 = performance.now();
    const w: Want = { priority: next, text, t0, done };
    want = w;
    let commit = 0;
    if (how === 'act') {
      const res = await sync.act('ticket.setPriority', { ticketId: id, priority: next });
      commit = performance.now() - t0;
      if (!res.ok) throw new Error(`act refused: ${res.error.message}`);
    } else {
      await db.tickets.put({ ...current, priority: next, updatedAt: new Date().toISOString() });
    }
    await Promise.race([seen, timeout]);
    const paint = await new Promise<number>((r) => requestAnimationFrame(() => r(performance.now() - t0)));
    want = null;
    if (!record) return;
    if (how === 'act') {
      result.actDom.push(w.dom ?? Number.NaN);
      result.actLive.push(w.live ?? Number.NaN);
      result.actCommit.push(commit);
      result.actPaint.push(paint);
    } else {
      result.putDom.push(w.dom ?? Number.NaN);
      result.putLive.push(w.live ?? Number.NaN);
    }
  };
  for (let i = 0; i < 3; i++) await once(i % 2 ? 'put' : 'act', false);
  for (let i = 0; i < params.runs; i++) {
    await once('act', true);
    await once('put', true);
  }
  // Leave the server and the screen agreeing (the raw puts were local only).
  await once('act', false);
  await idle();
  sub.unsubscribe();
  observer.disconnect();
  return result;
}

/** (e) On agent B's page: records when B's Dexie and B's screen show each priority of a ticket. */
export async function watchTicket(ticketId: string): Promise<void> {
  const bench = window.__deskBench;
  if (!bench) throw new Error('bench hooks not loaded');
  let sync = bench.localSync();
  for (let i = 0; i < 200 && !sync; i++) {
    await new Promise((r) => setTimeout(r, 25));
    sync = bench.localSync();
  }
  if (!sync) throw new Error('not signed in');
  const { db } = sync;
  const now = () => performance.timeOrigin + performance.now();
  const seen: { live: { value: string; at: number }[]; dom: { value: string; at: number }[] } = { live: [], dom: [] };
  (window as unknown as { __benchSeen: typeof seen }).__benchSeen = seen;
  let lastLive: string | undefined;
  bench.liveQuery(() => db.tickets.get(ticketId)).subscribe({
    next: (ticket) => {
      if (ticket && ticket.priority !== lastLive) {
        lastLive = ticket.priority;
        seen.live.push({ value: ticket.priority, at: now() });
      }
    },
  });
  const cell = () => document.querySelector(`.ticket-row[data-ticket-id="${ticketId}"] :is([data-field="priority"], .pill[class*="priority-"])`);
  let lastDom = cell()?.textContent ?? '';
  new MutationObserver(() => {
    const text = cell()?.textContent ?? '';
    if (text && text !== lastDom) {
      lastDom = text;
      seen.dom.push({ value: text, at: now() });
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}

/** (e) On agent A's page: runs one action and answers when it was called (absolute time). */
export async function actOnce(params: { ticketId: string; priority: string }): Promise<{ at: number; ok: boolean }> {
  const bench = window.__deskBench;
  const sync = bench?.localSync();
  if (!sync) throw new Error('not signed in');
  const at = performance.timeOrigin + performance.now();
  const res = await sync.act('ticket.setPriority', { ticketId: params.ticketId, priority: params.priority });
  return { at, ok: res.ok };
}

/** Waits until this page's sync has nothing pending and is not running. */
export async function syncIdle(): Promise<void> {
  const sync = window.__deskBench?.localSync();
  for (let i = 0; i < 500; i++) {
    const s = sync?.status.get();
    if (s && !s.syncing && s.waiting === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Loopback HTTP round trip from the page (baseline for propagation). */
export async function fetchRtt(runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now();
    await (await fetch('/healthz', { cache: 'no-store' })).text();
    if (i >= 3) out.push(performance.now() - t0);
  }
  return out;
}

/** Recorded by {@link NEW_DEVICE_PROBE}: when the login form was sent and when the first ticket row showed. */
export interface NewDeviceMarks {
  signIn: number | null;
  firstRow: number | null;
}

/** An init script for (f): marks the sign-in and the first ticket row on screen (page clock). */
export const NEW_DEVICE_PROBE = `
  globalThis.__newDevice = { signIn: null, firstRow: null };
  document.addEventListener('submit', () => { globalThis.__newDevice.signIn ??= performance.now(); }, true);
  new MutationObserver(() => {
    if (globalThis.__newDevice.firstRow === null && document.querySelector('.ticket-row')) globalThis.__newDevice.firstRow = performance.now();
  }).observe(document, { subtree: true, childList: true });
`;

export interface NewDeviceResult {
  marks: NewDeviceMarks;
  /** Sign-in → every ticket and message in IndexedDB, sync idle. */
  complete: number;
  tickets: number;
  messages: number;
  /** Raw Dexie bulkPut of the same rows into a fresh database (baseline). */
  raw: number;
}

/** (f) Waits until the new device holds `expected` tickets and messages, then times a raw bulkPut of them. */
export async function newDeviceComplete(expected: { tickets: number; messages: number }): Promise<NewDeviceResult> {
  const bench = window.__deskBench;
  if (!bench) throw new Error('bench hooks not loaded');
  const marks = (window as unknown as { __newDevice: NewDeviceMarks }).__newDevice;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let complete = Number.NaN;
  let counts = { tickets: 0, messages: 0 };
  for (let i = 0; i < 12_000; i++) {
    const sync = bench.localSync();
    if (sync) {
      const s = sync.status.get();
      const [tickets, messages] = await Promise.all([sync.db.tickets.count(), sync.db.messages.count()]);
      counts = { tickets, messages };
      if (tickets >= expected.tickets && messages >= expected.messages && !s.syncing && !sync.downloadingMessages?.()) {
        complete = performance.now() - (marks.signIn ?? 0);
        break;
      }
    }
    await sleep(20);
  }
  const sync = bench.localSync();
  if (!sync || Number.isNaN(complete)) throw new Error(`never complete: ${JSON.stringify(counts)}`);
  const [tickets, messages] = await Promise.all([sync.db.tickets.toArray(), sync.db.messages.toArray()]);
  const name = `bench-raw-device-${Math.random()}`;
  const db = new bench.DeskDb(name);
  await db.open();
  const t0 = performance.now();
  await db.tickets.bulkPut(tickets);
  await db.messages.bulkPut(messages);
  const raw = performance.now() - t0;
  db.close();
  await bench.Dexie.delete(name);
  return { marks, complete, tickets: tickets.length, messages: messages.length, raw };
}
