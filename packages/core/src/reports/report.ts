import { z } from 'zod';
import { Channel } from '../conversations/channel.ts';
import { TICKET_STATUSES } from '../tickets/status.ts';

/** The date ranges the Reports page offers; `custom` takes `from` and `to` (local dates, inclusive). */
export const REPORT_RANGES = ['today', '7d', '30d', 'custom'] as const;
export const ReportRange = z.enum(REPORT_RANGES);
export type ReportRange = z.infer<typeof ReportRange>;

/** The longest custom range: a year of days keeps every table and chart readable. */
export const REPORT_MAX_DAYS = 366;

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-30.');

export const ReportQuery = z
  .object({
    range: ReportRange.default('7d'),
    from: localDate.optional(),
    to: localDate.optional(),
    channel: Channel.optional(),
    intentId: z.string().min(1).max(100).optional(),
  })
  .superRefine((query, ctx) => {
    if (query.range !== 'custom') return;
    if (!query.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'Choose the first day.' });
    if (!query.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Choose the last day.' });
    if (query.from && query.to) {
      const days = daysBetween(query.from, query.to) + 1;
      if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The last day comes before the first.' });
      else if (days > REPORT_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `Choose at most ${REPORT_MAX_DAYS} days.` });
    }
  });
export type ReportQuery = z.infer<typeof ReportQuery>;

/** Whole days from one local date to another (negative when `to` comes first). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The local dates of a range, first to last. */
export function datesOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= daysBetween(from, to); i += 1) out.push(new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
  return out;
}

/** The local dates a named range covers, ending with `today` (the workspace's date now). */
export function rangeDates(query: Pick<ReportQuery, 'range' | 'from' | 'to'>, today: string): { from: string; to: string } {
  const back = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  switch (query.range) {
    case 'today':
      return { from: today, to: today };
    case '7d':
      return { from: back(6), to: today };
    case '30d':
      return { from: back(29), to: today };
    case 'custom':
      return { from: query.from ?? today, to: query.to ?? today };
    default: {
      const unknown: never = query.range;
      throw new Error(`Unknown range ${String(unknown)}`);
    }
  }
}

/** Median and 90th percentile of durations in seconds (null when there is none). */
export const DurationFigures = z.object({ median: z.number().nullable(), p90: z.number().nullable(), count: z.number().int() });
export type DurationFigures = z.infer<typeof DurationFigures>;

export const HAND_OFF_DESTINATIONS_REPORTED = ['desk', 'zendesk_support', 'zendesk_messaging'] as const;

export const BotFigures = z.object({
  conversations: z.number().int(),
  messages: z.number().int(),
  /** Conversations with a bot answer and no hand-off within 24 h after their last one. */
  handledAlone: z.number().int(),
  handledAloneShare: z.number().nullable(),
  botAnswers: z.number().int(),
  fallbacks: z.number().int(),
  /** Fallbacks per message the bot read. */
  fallbackRate: z.number().nullable(),
  disambiguationsAsked: z.number().int(),
  disambiguationsAnswered: z.number().int(),
  offersShown: z.number().int(),
  offersAccepted: z.number().int(),
  handOffsByDestination: z.object({ desk: z.number().int(), zendesk_support: z.number().int(), zendesk_messaging: z.number().int() }),
});
export type BotFigures = z.infer<typeof BotFigures>;

/** One intent's row of the hand-off chart: answers given, hand-offs made, and their share. */
export const IntentHandOffRow = z.object({ intentId: z.string(), name: z.string(), answers: z.number().int(), handOffs: z.number().int(), rate: z.number().nullable() });
export type IntentHandOffRow = z.infer<typeof IntentHandOffRow>;

export const VolumeRow = z.object({ day: z.string(), byChannel: z.record(z.string(), z.number().int()), total: z.number().int() });
export type VolumeRow = z.infer<typeof VolumeRow>;

export const BacklogRow = z.object({
  day: z.string(),
  new: z.number().int(),
  open: z.number().int(),
  pending: z.number().int(),
  'on-hold': z.number().int(),
});
export type BacklogRow = z.infer<typeof BacklogRow>;
export const BACKLOG_STATUSES = TICKET_STATUSES.filter((s) => s !== 'solved') as readonly Exclude<(typeof TICKET_STATUSES)[number], 'solved'>[];

export const AgentRow = z.object({ agentId: z.string(), name: z.string(), solved: z.number().int(), medianFirstResponse: z.number().nullable() });
export type AgentRow = z.infer<typeof AgentRow>;

export const TeamFigures = z.object({
  ticketsCreated: z.number().int(),
  ticketsSolved: z.number().int(),
  firstResponse: DurationFigures,
  resolution: DurationFigures,
  /** Admins: every agent with figures; agents: their own row. */
  agents: z.array(AgentRow),
});
export type TeamFigures = z.infer<typeof TeamFigures>;

export const Report = z.object({
  generatedAt: z.string(),
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  /** Admins see the bot; agents see the team view and their own figures (null). */
  bot: BotFigures.nullable(),
  handOffsByIntent: z.array(IntentHandOffRow).nullable(),
  team: TeamFigures,
  /** Conversations started per day and channel (the stacked volume chart). */
  volumes: z.array(VolumeRow),
  /** Tickets below solved at the end of each day, per status (the backlog area chart). */
  backlog: z.array(BacklogRow),
});
export type Report = z.infer<typeof Report>;

/** The workspace's report settings: the time zone days are counted in, and how long misses are kept. */
export const ReportSettings = z.object({
  timeZone: z.string().min(1).max(64).refine(isTimeZone, 'Unknown time zone.'),
  missesRetentionDays: z.number().int().min(1).max(3650),
});
export type ReportSettings = z.infer<typeof ReportSettings>;
export const DEFAULT_MISSES_RETENTION_DAYS = 90;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Median and p90 (nearest rank) of values sorted ascending. */
export function percentiles(sorted: ArrayLike<number>): DurationFigures {
  if (sorted.length === 0) return { median: null, p90: null, count: 0 };
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  return { median: rank(0.5), p90: rank(0.9), count: sorted.length };
}
