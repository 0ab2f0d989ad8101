import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addTag,
  allowedStatuses,
  applyTicketChange,
  checkReply,
  checkStatusChange,
  isActiveStatus,
  removeTag,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketChange,
  TicketRule,
  type TicketState,
  type TicketStatus,
} from '../src/index.ts';

const status = fc.constantFrom(...TICKET_STATUSES);
const priority = fc.constantFrom(...TICKET_PRIORITIES);
const agentId = fc.option(fc.constantFrom('ana', 'bruno', 'carla'), { nil: null });
const tag = fc.stringMatching(/^[a-z0-9_\-:.]{1,12}$/);
const ticket = fc.record<TicketState>({
  status,
  priority,
  assigneeId: agentId,
  tags: fc.uniqueArray(tag, { maxLength: 5 }),
  solvedAt: fc.constant(null),
});
const change = fc.record<TicketChange>(
  { status, priority, assigneeId: agentId, tags: fc.uniqueArray(tag, { maxLength: 5 }) },
  { requiredKeys: [] },
);
const now = '2026-01-01T00:00:00.000Z';

describe('ticket statuses', () => {
  it('are ordered new < open < pending < on-hold < solved, active below solved', () => {
    expect(TICKET_STATUSES).toEqual(['new', 'open', 'pending', 'on-hold', 'solved']);
    expect(TICKET_STATUSES.filter(isActiveStatus)).toEqual(['new', 'open', 'pending', 'on-hold']);
  });

  it('never return to new once left, and name the rule when refused', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        const check = checkStatusChange(from, to);
        const shouldRefuse = to === 'new' && from !== 'new';
        expect(check.ok).toBe(!shouldRefuse);
        if (!check.ok) expect(check.rule).toBe(TicketRule.noReturnToNew);
      }),
    );
  });

  it('offer exactly the statuses the rules accept', () => {
    fc.assert(
      fc.property(status, (from) => {
        for (const to of TICKET_STATUSES) expect(allowedStatuses(from).includes(to)).toBe(checkStatusChange(from, to).ok);
      }),
    );
  });
});

describe('applyTicketChange', () => {
  it('never produces a ticket that went back to new', () => {
    fc.assert(
      fc.property(ticket, fc.array(change, { maxLength: 6 }), (start, changes) => {
        let current = start;
        let leftNew = start.status !== 'new';
        for (const next of changes) {
          const result = applyTicketChange(current, next, { now });
          if (!result.ok) continue;
          current = result.value;
          if (leftNew) expect(current.status).not.toBe('new');
          if (current.status !== 'new') leftNew = true;
        }
      }),
    );
  });

  it('opens a new ticket when an agent is assigned', () => {
    const result = applyTicketChange({ status: 'new', priority: 'normal', assigneeId: null, tags: [], solvedAt: null }, { assigneeId: 'ana' }, { now });
    expect(result).toMatchObject({ ok: true, value: { status: 'open', assigneeId: 'ana' } });
  });

  it('keeps other statuses when assigning, and unassigning never reopens "new"', () => {
    fc.assert(
      fc.property(ticket, agentId, (start, assignee) => {
        const result = applyTicketChange(start, { assigneeId: assignee }, { now });
        if (!result.ok) return;
        if (start.status === 'new' && assignee !== null) expect(result.value.status).toBe('open');
        else expect(result.value.status).toBe(start.status);
      }),
    );
  });

  it('stamps solvedAt when solving and clears it when reopening', () => {
    const open: TicketState = { status: 'open', priority: 'normal', assigneeId: 'ana', tags: [], solvedAt: null };
    const solved = applyTicketChange(open, { status: 'solved' }, { now });
    expect(solved).toMatchObject({ ok: true, value: { solvedAt: now } });
    if (!solved.ok) return;
    const reopened = applyTicketChange(solved.value, { status: 'open' }, { now: '2026-02-01T00:00:00.000Z' });
    expect(reopened).toMatchObject({ ok: true, value: { status: 'open', solvedAt: null } });
  });

  it('refuses assignment to an inactive agent', () => {
    const result = applyTicketChange(
      { status: 'new', priority: 'low', assigneeId: null, tags: [], solvedAt: null },
      { assigneeId: 'gone' },
      { now, isActiveAgent: (id) => id !== 'gone' },
    );
    expect(result).toMatchObject({ ok: false, rule: TicketRule.assigneeMustBeActive });
  });

  it('refuses malformed tags and normalises the rest', () => {
    const base: TicketState = { status: 'open', priority: 'normal', assigneeId: null, tags: [], solvedAt: null };
    expect(applyTicketChange(base, { tags: ['Billing Issue', 'billing-issue'] }, { now })).toMatchObject({
      ok: true,
      value: { tags: ['billing-issue'] },
    });
    expect(applyTicketChange(base, { tags: ['<b>'] }, { now })).toMatchObject({ ok: false, rule: TicketRule.tagFormat });
  });

  it('keeps every priority it is given', () => {
    fc.assert(
      fc.property(ticket, priority, (start, p) => {
        const result = applyTicketChange(start, { priority: p }, { now });
        expect(result.ok && result.value.priority).toBe(p);
      }),
    );
  });
});

describe('tags', () => {
  it('are added once and removed case-insensitively', () => {
    fc.assert(
      fc.property(fc.uniqueArray(tag), tag, (tags, t) => {
        const added = addTag(tags, t.toUpperCase());
        expect(added.filter((x) => x === t)).toHaveLength(1);
        expect(removeTag(added, t.toUpperCase())).not.toContain(t);
      }),
    );
  });
});

describe('replies', () => {
  it('are text only and need an active ticket', () => {
    const statuses: TicketStatus[] = ['new', 'open', 'pending', 'on-hold'];
    for (const s of statuses) expect(checkReply(s, false).ok).toBe(true);
    expect(checkReply('solved', false)).toMatchObject({ ok: false, rule: TicketRule.replyNeedsActiveTicket });
    expect(checkReply('open', true)).toMatchObject({ ok: false, rule: TicketRule.agentRepliesAreText, message: expect.stringMatching(/media can't be sent from the desk/i) });
  });
});
