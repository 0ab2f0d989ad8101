import { describe, expect, it } from 'vitest';
import { assigneeValues, EMPTY_QUERY, listParamsOf, parseListParams, toggled } from './list-params.ts';

describe('ticket list filters in the URL', () => {
  it('round-trips a combined filter', () => {
    const query = { agents: ['me', 'none', 'agent-7'], statuses: ['open', 'new'] as const, priorities: ['urgent', 'high'] as const, q: 'zebra 42', sort: 'oldest' as const };
    const params = listParamsOf({ ...query, statuses: [...query.statuses], priorities: [...query.priorities] });
    expect(params).toEqual({ agent: 'me,none,agent-7', status: 'new,open', priority: 'high,urgent', q: 'zebra 42', sort: 'oldest' });
    expect(parseListParams(params)).toEqual({ agents: ['me', 'none', 'agent-7'], statuses: ['new', 'open'], priorities: ['high', 'urgent'], q: 'zebra 42', sort: 'oldest' });
  });

  it('leaves defaults out of the URL', () => {
    expect(listParamsOf(EMPTY_QUERY)).toEqual({ agent: undefined, status: undefined, priority: undefined, q: undefined, sort: undefined });
    expect(parseListParams({})).toEqual(EMPTY_QUERY);
  });

  it('drops unknown values, duplicates and odd ids from a hand-edited URL', () => {
    expect(parseListParams({ status: 'open,bogus,open', priority: ['low'], agent: 'me,<script>,me', sort: 'sideways' })).toEqual({
      agents: ['me'],
      statuses: ['open'],
      priorities: ['low'],
      q: '',
      sort: 'newest',
    });
  });

  it('turns "me" into the signed-in agent for the assignee index', () => {
    expect(assigneeValues(['me', 'none', 'a2'], 'a1')).toEqual(['a1', 'none', 'a2']);
    expect(assigneeValues(['me', 'a1'], 'a1')).toEqual(['a1']);
    expect(assigneeValues(['me'], undefined)).toEqual([]);
  });

  it('toggles one value of a multi-select', () => {
    expect(toggled(['a'], 'b', true)).toEqual(['a', 'b']);
    expect(toggled(['a', 'b'], 'a', false)).toEqual(['b']);
    expect(toggled(['a'], 'a', true)).toEqual(['a']);
  });
});
