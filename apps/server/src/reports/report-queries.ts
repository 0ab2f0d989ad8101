import {
  type AgentRow,
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
import { statement } from '../db/statements.ts';
import { localDate, localMidnight } from './time-zone.ts';

export interface Viewer {
  id: string;
  role: Role;
}

/** Metrics that belong to an intent: the intent filter narrows them. The others are about the bot as a whole. */
const INTENT_METRICS = ['answer', 'ticket_created', 'ticket_solved', ...HAND_OFF_DESTINATIONS_REPORTED.map((d) => `handoff:${d}`)];
const BOT_METRICS = ['conversation', 'turn', 'fallback', 'ask', 'ask_answered', 'offer', 'offer_accepted'];
const STATUS_METRICS = BACKLOG_STATUSES.map((s) => `status:${s}`);

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * The Reports page's figures for a range of local days in the workspace's time zone. Bot counters
 * and the backlog come from the daily roll-ups; durations from the per-ticket timings, ranked by the
 * database. Plain SQL both SQLite and PostgreSQL run (no date functions).
 */
export function buildReport(db: Db, query: ReportQuery, viewer: Viewer, settings: ReportSettings, now: number): Report {
  const { timeZone } = settings;
  const { from, to } = rangeDates(query, localDate(now, timeZone));
  const days = datesOf(from, to);
  const startIso = new Date(localMidnight(from, timeZone)).toISOString();
  const endIso = new Date(localMidnight(nextDate(to), timeZone)).toISOString();
  const channelSql = query.channel ? ' AND channel = ?' : '';
  const channelArgs = query.channel ? [query.channel] : [];
  const intentSql = query.intentId ? ' AND intent_id = ?' : '';
  const intentArgs = query.intentId ? [query.intentId] : [];

  // 1. Counters per metric, local day and channel (the daily roll-ups).
  const counters = statement(
    db,
    `SELECT metric, day, channel, SUM(value) AS value FROM report_daily
      WHERE day >= ? AND day <= ? AND (metric IN (${placeholders(BOT_METRICS.length)})
        OR (metric IN (${placeholders(INTENT_METRICS.length)})${intentSql}))${channelSql}
      GROUP BY metric, day, channel`,
  ).all(from, to, ...BOT_METRICS, ...INTENT_METRICS, ...intentArgs, ...channelArgs) as {
    metric: string;
    day: string;
    channel: string;
    value: number;
  }[];
  const total = new Map<string, number>();
  const volumes = new Map<string, VolumeRow>(days.map((day) => [day, { day, byChannel: {}, total: 0 }]));
  for (const row of counters) {
    total.set(row.metric, (total.get(row.metric) ?? 0) + row.value);
    if (row.metric !== 'conversation') continue;
    const volume = volumes.get(row.day);
    if (!volume) continue;
    volume.byChannel[row.channel] = (volume.byChannel[row.channel] ?? 0) + row.value;
    volume.total += row.value;
  }
  const sum = (metric: string) => total.get(metric) ?? 0;

  // 2. Conversations the bot handled alone.
  const alone = statement(
    db,
    `SELECT COUNT(*) AS conversations, COALESCE(SUM(handled_alone), 0) AS alone FROM report_conversations WHERE started_at >= ? AND started_at < ?${channelSql}`,
  ).get(startIso, endIso, ...channelArgs) as { conversations: number; alone: number };

  const isAdmin = viewer.role === 'admin';
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

  // 3. Hand-off rate per intent.
  let handOffsByIntent: IntentHandOffRow[] | null = null;
  if (isAdmin) {
    const handOffMetrics = ['answer', ...HAND_OFF_DESTINATIONS_REPORTED.map((d) => `handoff:${d}`)];
    const rows = statement(
      db,
      `SELECT metric, intent_id, SUM(value) AS value FROM report_daily
        WHERE metric IN (${placeholders(handOffMetrics.length)}) AND day >= ? AND day <= ? AND intent_id <> ''${intentSql}${channelSql}
        GROUP BY metric, intent_id`,
    ).all(...handOffMetrics, from, to, ...intentArgs, ...channelArgs) as { metric: string; intent_id: string; value: number }[];
    const names = intentNames(db);
    const byIntent = new Map<string, IntentHandOffRow>();
    for (const row of rows) {
      const entry = byIntent.get(row.intent_id) ?? { intentId: row.intent_id, name: names.get(row.intent_id) ?? row.intent_id, answers: 0, handOffs: 0, rate: null };
      if (row.metric === 'answer') entry.answers += row.value;
      else entry.handOffs += row.value;
      byIntent.set(row.intent_id, entry);
    }
    handOffsByIntent = [...byIntent.values()]
      .map((row) => ({ ...row, rate: row.answers > 0 ? row.handOffs / row.answers : null }))
      .sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0) || a.name.localeCompare(b.name));
  }

  // 4. Backlog at the end of each day: today's counts minus the status changes of the days after.
  const current = statement(
    db,
    `SELECT status, COUNT(*) AS count FROM tickets WHERE status IN (${placeholders(BACKLOG_STATUSES.length)})${channelSql}${intentSql} GROUP BY status`,
  ).all(...BACKLOG_STATUSES, ...channelArgs, ...intentArgs) as { status: string; count: number }[];
  const deltas = statement(
    db,
    `SELECT metric, day, SUM(value) AS value FROM report_daily
      WHERE metric IN (${placeholders(STATUS_METRICS.length)}) AND day > ?${channelSql}${intentSql} GROUP BY metric, day`,
  ).all(...STATUS_METRICS, from, ...channelArgs, ...intentArgs) as { metric: string; day: string; value: number }[];
  const backlog = backlogByDay(days, current, deltas);

  // 5. Team: tickets created and solved, first response and resolution times, per agent. The range's
  //    durations come as bare rows (raw arrays) and are sorted as numbers: one pass per figure.
  const range = (column: string) => `${column} >= ? AND ${column} < ?${channelSql}${intentSql}`;
  const rangeArgs = [startIso, endIso, ...channelArgs, ...intentArgs];
  const created = (statement(db, `SELECT COUNT(*) AS n FROM report_tickets WHERE ${range('created_at')}`).get(...rangeArgs) as { n: number }).n;
  const responses = rawRows(db, `SELECT first_response_agent_id, first_response_seconds FROM report_tickets WHERE ${range('created_at')} AND first_response_seconds IS NOT NULL`, rangeArgs);
  const solved = rawRows(db, `SELECT solved_by, resolution_seconds FROM report_tickets WHERE ${range('solved_at')}`, rangeArgs);
  const responsesByAgent = groupSeconds(responses);
  const solvedByAgent = groupSeconds(solved);
  const names = agentNames(db);
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
  const firstResponse = percentiles(sortedSeconds(responses.map((r) => r[1])));
  const resolution = percentiles(sortedSeconds(solved.map((r) => r[1])));

  return {
    generatedAt: new Date(now).toISOString(),
    timeZone,
    from,
    to,
    bot,
    handOffsByIntent,
    team: {
      ticketsCreated: created,
      ticketsSolved: solved.length,
      firstResponse,
      resolution,
      agents,
    },
    volumes: [...volumes.values()],
    backlog,
  };
}

type AgentSeconds = [agent: string | null, seconds: number];

/** Rows as bare arrays: tens of thousands of them cost far less than as objects. */
function rawRows(db: Db, sql: string, args: readonly unknown[]): AgentSeconds[] {
  return db.prepare(sql).raw(true).all(...args) as AgentSeconds[];
}

function groupSeconds(rows: readonly AgentSeconds[]): Map<string | null, number[]> {
  const groups = new Map<string | null, number[]>();
  for (const [agent, seconds] of rows) {
    const list = groups.get(agent);
    if (list) list.push(seconds);
    else groups.set(agent, [seconds]);
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

function agentNames(db: Db): Map<string, string> {
  return new Map((statement(db, 'SELECT id, name FROM agents').all() as { id: string; name: string }[]).map((r) => [r.id, r.name]));
}

function intentNames(db: Db): Map<string, string> {
  return new Map((statement(db, 'SELECT id, name FROM intents').all() as { id: string; name: string }[]).map((r) => [r.id, r.name]));
}
