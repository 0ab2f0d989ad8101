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
import { hourOf } from './report-recorder.ts';
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
 * and the backlog come from the hourly roll-ups (re-bucketed into local days here); durations from
 * the per-ticket timings. Plain SQL both SQLite and PostgreSQL run (no date functions).
 */
export function buildReport(db: Db, query: ReportQuery, viewer: Viewer, settings: ReportSettings, now: number): Report {
  const { timeZone } = settings;
  const { from, to } = rangeDates(query, localDate(now, timeZone));
  const days = datesOf(from, to);
  const start = localMidnight(from, timeZone);
  const end = localMidnight(nextDate(to), timeZone);
  const startIso = new Date(start).toISOString();
  const endIso = new Date(end).toISOString();
  const dayOfHour = hourToDay(days, timeZone);
  const channelSql = query.channel ? ' AND channel = ?' : '';
  const channelArgs = query.channel ? [query.channel] : [];
  const intentSql = query.intentId ? ' AND intent_id = ?' : '';
  const intentArgs = query.intentId ? [query.intentId] : [];

  // 1. Counters per metric, hour and channel.
  const counters = statement(
    db,
    `SELECT metric, hour, channel, SUM(value) AS value FROM report_hourly
      WHERE hour >= ? AND hour < ? AND (metric IN (${placeholders(BOT_METRICS.length)})
        OR (metric IN (${placeholders(INTENT_METRICS.length)})${intentSql}))${channelSql}
      GROUP BY metric, hour, channel`,
  ).all(hourOf(startIso), hourOf(endIso), ...BOT_METRICS, ...INTENT_METRICS, ...intentArgs, ...channelArgs) as {
    metric: string;
    hour: string;
    channel: string;
    value: number;
  }[];
  const total = new Map<string, number>();
  const volumes = new Map<string, VolumeRow>(days.map((day) => [day, { day, byChannel: {}, total: 0 }]));
  for (const row of counters) {
    total.set(row.metric, (total.get(row.metric) ?? 0) + row.value);
    if (row.metric !== 'conversation') continue;
    const volume = volumes.get(dayOfHour.get(row.hour) ?? '');
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
      `SELECT metric, intent_id, SUM(value) AS value FROM report_hourly
        WHERE metric IN (${placeholders(handOffMetrics.length)}) AND hour >= ? AND hour < ? AND intent_id <> ''${intentSql}${channelSql}
        GROUP BY metric, intent_id`,
    ).all(...handOffMetrics, hourOf(startIso), hourOf(endIso), ...intentArgs, ...channelArgs) as { metric: string; intent_id: string; value: number }[];
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

  // 4. Backlog at the end of each day: today's counts minus the status changes after that day.
  const current = statement(
    db,
    `SELECT status, COUNT(*) AS count FROM tickets WHERE status IN (${placeholders(BACKLOG_STATUSES.length)})${channelSql}${intentSql} GROUP BY status`,
  ).all(...BACKLOG_STATUSES, ...channelArgs, ...intentArgs) as { status: string; count: number }[];
  const deltas = statement(
    db,
    `SELECT metric, hour, SUM(value) AS value FROM report_hourly
      WHERE metric IN (${placeholders(STATUS_METRICS.length)}) AND hour >= ?${channelSql}${intentSql} GROUP BY metric, hour`,
  ).all(...STATUS_METRICS, hourOf(startIso), ...channelArgs, ...intentArgs) as { metric: string; hour: string; value: number }[];
  const backlog = backlogByDay(days, timeZone, current, deltas);

  // 5. Team: tickets created and solved, first response and resolution times, per agent.
  const created = statement(
    db,
    `SELECT first_response_seconds AS seconds, first_response_agent_id AS agent FROM report_tickets WHERE created_at >= ? AND created_at < ?${channelSql}${intentSql}`,
  ).all(startIso, endIso, ...channelArgs, ...intentArgs) as { seconds: number | null; agent: string | null }[];
  const solved = statement(
    db,
    `SELECT resolution_seconds AS seconds, solved_by AS agent FROM report_tickets WHERE solved_at >= ? AND solved_at < ?${channelSql}${intentSql}`,
  ).all(startIso, endIso, ...channelArgs, ...intentArgs) as { seconds: number; agent: string | null }[];
  const firstResponses = created.flatMap((r) => (r.seconds === null ? [] : [r.seconds])).sort((a, b) => a - b);
  const resolutions = solved.map((r) => r.seconds).sort((a, b) => a - b);
  const agents = agentRows(agentNames(db), created, solved).filter((row) => isAdmin || row.agentId === viewer.id);
  if (!isAdmin && agents.length === 0) agents.push({ agentId: viewer.id, name: agentNames(db).get(viewer.id) ?? viewer.id, solved: 0, medianFirstResponse: null });

  return {
    generatedAt: new Date(now).toISOString(),
    timeZone,
    from,
    to,
    bot,
    handOffsByIntent,
    team: {
      ticketsCreated: created.length,
      ticketsSolved: solved.length,
      firstResponse: percentiles(firstResponses),
      resolution: percentiles(resolutions),
      agents,
    },
    volumes: [...volumes.values()],
    backlog,
  };
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Which local day each UTC hour of the range belongs to. */
function hourToDay(days: string[], timeZone: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const day of days) {
    const start = localMidnight(day, timeZone);
    const end = localMidnight(nextDate(day), timeZone);
    for (let t = start; t < end; t += 3_600_000) map.set(hourOf(new Date(t).toISOString()), day);
  }
  return map;
}

export function backlogByDay(
  days: string[],
  timeZone: string,
  current: { status: string; count: number }[],
  deltas: { metric: string; hour: string; value: number }[],
): BacklogRow[] {
  // Walk the days newest first, taking away the changes made after each day's end.
  const sorted = [...deltas].sort((a, b) => (a.hour < b.hour ? 1 : a.hour > b.hour ? -1 : 0));
  const level = new Map<string, number>(BACKLOG_STATUSES.map((s) => [s, current.find((c) => c.status === s)?.count ?? 0]));
  let next = 0;
  const rows: BacklogRow[] = [];
  for (const day of [...days].reverse()) {
    const endHour = hourOf(new Date(localMidnight(nextDate(day), timeZone)).toISOString());
    for (; next < sorted.length && (sorted[next] as { hour: string }).hour >= endHour; next += 1) {
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

function agentRows(names: Map<string, string>, created: { seconds: number | null; agent: string | null }[], solved: { agent: string | null }[]): AgentRow[] {
  const responses = new Map<string, number[]>();
  for (const r of created) {
    if (!r.agent || r.seconds === null) continue;
    const list = responses.get(r.agent);
    if (list) list.push(r.seconds);
    else responses.set(r.agent, [r.seconds]);
  }
  const solvedBy = new Map<string, number>();
  for (const r of solved) if (r.agent) solvedBy.set(r.agent, (solvedBy.get(r.agent) ?? 0) + 1);
  const ids = new Set([...responses.keys(), ...solvedBy.keys()]);
  return [...ids]
    .map((agentId) => ({
      agentId,
      name: names.get(agentId) ?? agentId,
      solved: solvedBy.get(agentId) ?? 0,
      medianFirstResponse: percentiles((responses.get(agentId) ?? []).sort((a, b) => a - b)).median,
    }))
    .sort((a, b) => b.solved - a.solved || a.name.localeCompare(b.name));
}

function agentNames(db: Db): Map<string, string> {
  return new Map((statement(db, 'SELECT id, name FROM agents').all() as { id: string; name: string }[]).map((r) => [r.id, r.name]));
}

function intentNames(db: Db): Map<string, string> {
  return new Map((statement(db, 'SELECT id, name FROM intents').all() as { id: string; name: string }[]).map((r) => [r.id, r.name]));
}
