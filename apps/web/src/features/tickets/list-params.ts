import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from '@desk/core';

/**
 * The ticket list's filters as they live in the URL (bookmarkable, kept across reloads):
 * `?agent=me,none,<id>&status=new,open&priority=high&q=text&sort=oldest`. Pure, unit-tested.
 */
export type ListSort = 'newest' | 'oldest';

export interface ListQuery {
  /** Agent ids, `me` and `none` (unassigned); empty = any agent. */
  agents: string[];
  statuses: TicketStatus[];
  priorities: TicketPriority[];
  q: string;
  sort: ListSort;
}

export type ListParams = Partial<Record<'agent' | 'status' | 'priority' | 'q' | 'sort', string | string[] | undefined>>;

export const EMPTY_QUERY: ListQuery = { agents: [], statuses: [], priorities: [], q: '', sort: 'newest' };

const first = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));

function list(value: string | string[] | undefined): string[] {
  return [...new Set(first(value).split(',').map((v) => v.trim()).filter(Boolean))];
}

function oneOf<T extends string>(allowed: readonly T[], value: string | string[] | undefined): T[] {
  // Kept in the canonical order, so equal filters always make equal URLs.
  const given = new Set(list(value));
  return allowed.filter((v) => given.has(v));
}

export function parseListParams(params: ListParams): ListQuery {
  return {
    agents: list(params.agent).filter((a) => /^[\w-]{1,64}$/.test(a)),
    statuses: oneOf(TICKET_STATUSES, params.status),
    priorities: oneOf(TICKET_PRIORITIES, params.priority),
    q: first(params.q).slice(0, 200),
    sort: first(params.sort) === 'oldest' ? 'oldest' : 'newest',
  };
}

/** The URL parameters for a query; defaults are left out (undefined removes the parameter). */
export function listParamsOf(query: ListQuery): Record<'agent' | 'status' | 'priority' | 'q' | 'sort', string | undefined> {
  const join = (values: readonly string[]) => (values.length > 0 ? values.join(',') : undefined);
  return {
    agent: join(query.agents),
    status: join(TICKET_STATUSES.filter((s) => query.statuses.includes(s))),
    priority: join(TICKET_PRIORITIES.filter((p) => query.priorities.includes(p))),
    q: query.q.trim() ? query.q : undefined,
    sort: query.sort === 'oldest' ? 'oldest' : undefined,
  };
}

/** The assignee index values for the agents filter: `me` becomes the signed-in agent's id. */
export function assigneeValues(agents: readonly string[], meId: string | undefined): string[] {
  return [...new Set(agents.flatMap((a) => (a === 'me' ? (meId ? [meId] : []) : [a])))];
}

/** Adds or removes one value of a multi-select. */
export function toggled<T>(values: readonly T[], value: T, on: boolean): T[] {
  return on ? (values.includes(value) ? [...values] : [...values, value]) : values.filter((v) => v !== value);
}
