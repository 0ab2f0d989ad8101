import {
  type AgentRow,
  type Channel,
  BACKLOG_STATUSES,
  type BacklogRow,
  type BotFigures,
  datesOf,
  HAND_OFF_DESTINATIONS_REPORTED,
  type IntentHandOffRow,
  percentiles,
  rangeDates,
  type Report,
  type ReportQuery,
  type ReportSettings,
  type Role,
  type VolumeRow,
} from '@desk/core';
import type { Db } from '../db/database.ts';
import { numberList, numbersOf } from '../db/dialect-sql.ts';
import { localDate, localMidnight } from './time-zone.ts';

export interface Viewer {
  id: string;
  role: Role;
}

/** Metrics that belong to an intent: the intent filter narrows them. The others are about the bot as a whole. */
const INTENT_METRICS = ['answer', 'ticket_created', 'ticket_solved', ...HAND_OFF_DESTINATIONS_REPORTED.map((d) => `handoff:${d}`)];
const BOT_METRICS = ['conversation', 'turn', 'fallback', 'ask', 'ask_answered', 'offer', 'offer_accepted'];
const STATUS_METRICS = BACKLOG_STATUSES.map((s) => `status:${s}`);

/**
 * The Reports page's figures for a range of local days in the workspace's time zone. Bot counters
 * and the backlog come from the daily roll-ups; durations from the per-ticket timings. The query
 * builder's portable SQL (no date functions), the same on SQLite and PostgreSQL; the one spelling they
 * don't share (a group's numbers as one list) is `numberList` in db/dialect-sql.ts.
 */
export async function buildReport(db: Db, query: ReportQuery, viewer: Viewer, settings: ReportSettings, now: number): Promise<Report> {
  const { timeZone } = settings;
  const { from, to } = rangeDates(query, localDate(now, timeZone));
  const days = datesOf(from, to);
  const startIso = new Date(localMidnight(from, timeZone)).toISOString();
  const endIso = new Date(localMidnight(nextDate(to), timeZone)).toISOString();
  const { channel, intentId } = query;

  const isAdmin = viewer.role === 'admin';
  const handOffMetrics = ['answer', ...HAND_OFF_DESTINATIONS_REPORTED.map((d) => `handoff:${d}`)];
  const ticketsIn = (column: 'created_at' | 'solved_at') =>
    db.q
      .selectFrom('report_tickets')
      .where(column, '>=', startIso)
      .where(column, '<', endIso)
      .$if(channel !== undefined, (qb) => qb.where('channel', '=', channel as string))
      .$if(intentId !== undefined, (qb) => qb.where('intent_id', '=', intentId as string));

  // Every statement at once: none depends on another, and a PostgreSQL pool answers them side by side
  // (SQLite's one connection takes them in turn).
  const [totals, conversationsPerDay, aloneRow, handOffRows, intents, current, deltas, createdRow, responseRows, solvedRows, names] = await Promise.all([
    // 1. The range's total per metric, and conversations per local day and channel (the daily
    //    roll-ups, summed by the database: a handful of rows, not one per day, channel and intent).
    db.q
      .selectFrom('report_daily')
      .select(['metric', (eb) => eb.fn.sum<number>('value').as('value')])
      .where('day', '>=', from)
      .where('day', '<=', to)
      .where((eb) =>
        eb.or([
          eb('metric', 'in', BOT_METRICS),
          intentId === undefined ? eb('metric', 'in', INTENT_METRICS) : eb.and([eb('metric', 'in', INTENT_METRICS), eb('intent_id', '=', intentId)]),
        ]),
      )
      .$if(channel !== undefined, (qb) => qb.where('channel', '=', channel as string))
      .groupBy('metric')
      .execute(),
    db.q
      .selectFrom('report_daily')
      .select(['day', 'channel', (eb) => eb.fn.sum<number>('value').as('value')])
      .where('metric', '=', 'conversation')
      .where('day', '>=', from)
      .where('day', '<=', to)
      .$if(channel !== undefined, (qb) => qb.where('channel', '=', channel as string))
      .groupBy(['day', 'channel'])
      .execute(),
    // 2. Conversations the bot handled alone.
    db.q
      .selectFrom('report_conversations')
      .select((eb) => [eb.fn.countAll<number>().as('conversations'), eb.fn.coalesce(eb.fn.sum<number>('handled_alone'), eb.lit(0)).as('alone')])
      .where('started_at', '>=', startIso)
      .where('started_at', '<', endIso)
      .$if(channel !== undefined, (qb) => qb.where('channel', '=', channel as string))
      .executeTakeFirstOrThrow(),
    // 3. Hand-off rate per intent (admins).
    isAdmin
      ? db.q
          .selectFrom('report_daily')
          .select(['metric', 'intent_id', (eb) => eb.fn.sum<number>('value').as('value')])
          .where('metric', 'in', handOffMetrics)
          .where('day', '>=', from)
          .where('day', '<=', to)
          .where('intent_id', '<>', '')
          .$if(intentId !== undefined, (qb) => qb.where('intent_id', '=', intentId as string))
          .$if(channel !== undefined, (qb) => qb.where('channel', '=', channel as string))
          .groupBy(['metric', 'intent_id'])
          .execute()
      : [],
    isAdmin ? intentNames(db) : new Map<string, string>(),
    // 4. Backlog at the end of each day: today's counts minus the status changes of the days after.
    db.q
      .selectFrom('tickets')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .where('status', 'in', BACKLOG_STATUSES)
      .$if(channel !== undefined, (qb) => qb.where('channel', '=', channel as Channel))
      .$if(intentId !== undefined, (qb) => qb.where('intent_id', '=', intentId as string))
      .groupBy('status')
      .execute(),
    db.q
      .selectFrom('report_daily')
      .select(['metric', 'day', (eb) => eb.fn.sum<number>('value').as('value')])
      .where('metric', 'in', STATUS_METRICS)
      .where('day', '>', from)
      .$if(channel !== undefined, (qb) => qb.where('channel', '=', channel as string))
      .$if(intentId !== undefined, (qb) => qb.where('intent_id', '=', intentId as string))
      .groupBy(['metric', 'day'])
      .execute(),
    // 5. Team: tickets created and solved, first response and resolution times, per agent. Exact
    //    percentiles need every duration of the range: each agent's come as one list (one row per
    //    agent rather than one per ticket), sorted here as numbers.
    ticketsIn('created_at').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ticketsIn('created_at')
      .select((eb) => ['first_response_agent_id as agent', numberList(db.dialect, eb.ref('first_response_seconds')).as('seconds')])
      .where('first_response_seconds', 'is not', null)
      .groupBy('first_response_agent_id')
      .execute(),
    ticketsIn('solved_at')
      .select((eb) => ['solved_by as agent', numberList(db.dialect, eb.ref('resolution_seconds')).as('seconds')])
      .where('resolution_seconds', 'is not', null)
      .groupBy('solved_by')
      .execute(),
    agentNames(db),
  ]);

  const total = new Map(totals.map((row) => [row.metric, Number(row.value)]));
  const sum = (metric: string) => total.get(metric) ?? 0;
  const volumes = new Map<string, VolumeRow>(days.map((day) => [day, { day, byChannel: {}, total: 0 }]));
  for (const row of conversationsPerDay) {
    const volume = volumes.get(row.day);
    if (!volume) continue;
    volume.byChannel[row.channel] = (volume.byChannel[row.channel] ?? 0) + Number(row.value);
    volume.total += Number(row.value);
  }

  const alone = { conversations: Number(aloneRow.conversations), alone: Number(aloneRow.alone) };
  const bot: BotFigures | null = isAdmin
    ? {
        conversations: alone.conversations,
        messages: sum('turn'),
        handledAlone: alone.alone,
        handledAloneShare: alone.conversations > 0 ? alone.alone / alone.conversations : null,
        botAnswers: sum('answer'),
        fallbacks: sum('fallback'),
        fallbackRate: sum('turn') > 0 ? sum('fallback') / sum('turn') : null,
        disambiguationsAsked: sum('ask'),
        disambiguationsAnswered: sum('ask_answered'),
        offersShown: sum('offer'),
        offersAccepted: sum('offer_accepted'),
        handOffsByDestination: {
          desk: sum('handoff:desk'),
          zendesk_support: sum('handoff:zendesk_support'),
          zendesk_messaging: sum('handoff:zendesk_messaging'),
        },
      }
    : null;

  let handOffsByIntent: IntentHandOffRow[] | null = null;
  if (isAdmin) {
    const byIntent = new Map<string, IntentHandOffRow>();
    for (const row of handOffRows) {
      const entry = byIntent.get(row.intent_id) ?? { intentId: row.intent_id, name: intents.get(row.intent_id) ?? row.intent_id, answers: 0, handOffs: 0, rate: null };
      if (row.metric === 'answer') entry.answers += Number(row.value);
      else entry.handOffs += Number(row.value);
      byIntent.set(row.intent_id, entry);
    }
    handOffsByIntent = [...byIntent.values()]
      .map((row) => ({ ...row, rate: row.answers > 0 ? row.handOffs / row.answers : null }))
      .sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0) || a.name.localeCompare(b.name));
  }

  const backlog = backlogByDay(
    days,
    current.map((c) => ({ status: c.status, count: Number(c.count) })),
    deltas.map((d) => ({ ...d, value: Number(d.value) })),
  );

  const created = Number(createdRow.n);
  const responsesByAgent = secondsByAgent(responseRows);
  const solvedByAgent = secondsByAgent(solvedRows);
  const agentIds = new Set([...responsesByAgent.keys(), ...solvedByAgent.keys()]);
  agentIds.delete(null);
  if (!isAdmin) {
    for (const id of [...agentIds]) if (id !== viewer.id) agentIds.delete(id);
    agentIds.add(viewer.id);
  }
  const agents: AgentRow[] = [...agentIds]
    .flatMap((agentId) => (agentId === null ? [] : [agentId]))
    .map((agentId) => ({
      agentId,
      name: names.get(agentId) ?? agentId,
      solved: solvedByAgent.get(agentId)?.length ?? 0,
      medianFirstResponse: percentiles(sortedSeconds(responsesByAgent.get(agentId) ?? [])).median,
    }))
    .sort((a, b) => b.solved - a.solved || a.name.localeCompare(b.name));
  const firstResponse = percentiles(sortedSeconds([...responsesByAgent.values()].flat()));
  const resolutionSeconds = [...solvedByAgent.values()].flat();
  const resolution = percentiles(sortedSeconds(resolutionSeconds));

  return {
    generatedAt: new Date(now).toISOString(),
    timeZone,
    from,
    to,
    bot,
    handOffsByIntent,
    team: {
      ticketsCreated: created,
      ticketsSolved: resolutionSeconds.length,
      firstResponse,
      resolution,
      agents,
    },
    volumes: [...volumes.values()],
    backlog,
  };
}

function secondsByAgent(rows: readonly { agent: string | null; seconds: string | null }[]): Map<string | null, number[]> {
  const groups = new Map<string | null, number[]>();
  for (const row of rows) {
    // One row per agent (grouped by the database).
    groups.set(row.agent ?? null, numbersOf(row.seconds));
  }
  return groups;
}

/** Numbers sorted as numbers (a typed array sorts numerically, and fast). */
function sortedSeconds(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export function backlogByDay(days: string[], current: { status: string; count: number }[], deltas: { metric: string; day: string; value: number }[]): BacklogRow[] {
  // Walk the days newest first, taking away the changes made on the days after each one.
  const sorted = [...deltas].sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0));
  const level = new Map<string, number>(BACKLOG_STATUSES.map((s) => [s, current.find((c) => c.status === s)?.count ?? 0]));
  let next = 0;
  const rows: BacklogRow[] = [];
  for (const day of [...days].reverse()) {
    for (; next < sorted.length && (sorted[next] as { day: string }).day > day; next += 1) {
      const delta = sorted[next] as { metric: string; value: number };
      const status = delta.metric.slice('status:'.length);
      level.set(status, (level.get(status) ?? 0) - delta.value);
    }
    const row: BacklogRow = { day, new: 0, open: 0, pending: 0, 'on-hold': 0 };
    for (const status of BACKLOG_STATUSES) row[status] = Math.max(0, level.get(status) ?? 0);
    rows.push(row);
  }
  return rows.reverse();
}

async function agentNames(db: Db): Promise<Map<string, string>> {
  return new Map((await db.q.selectFrom('agents').select(['id', 'name']).execute()).map((r) => [r.id, r.name]));
}

async function intentNames(db: Db): Promise<Map<string, string>> {
  return new Map((await db.q.selectFrom('intents').select(['id', 'name']).execute()).map((r) => [r.id, r.name]));
}
