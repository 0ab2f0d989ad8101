import { describe, expect, it } from 'vitest';
import { effectiveDestination, TICKET_STATUSES, zendeskStatusEndsHandOff, zendeskStatusOf } from '../src/index.ts';

describe('hand-off destination', () => {
  const none = { zendesk_support: false, zendesk_messaging: false };
  it('goes to Zendesk only while that integration is connected, else falls back to Desk', () => {
    expect(effectiveDestination('desk', none)).toEqual({ effective: 'desk', fellBack: false });
    expect(effectiveDestination('zendesk_support', { ...none, zendesk_support: true })).toEqual({ effective: 'zendesk_support', fellBack: false });
    expect(effectiveDestination('zendesk_support', { ...none, zendesk_messaging: true })).toEqual({ effective: 'desk', fellBack: true });
    expect(effectiveDestination('zendesk_messaging', none)).toEqual({ effective: 'desk', fellBack: true });
  });

  it('maps every Desk status to a Zendesk one, and only solved/closed end the hand-off', () => {
    expect(TICKET_STATUSES.map(zendeskStatusOf)).toEqual(['new', 'open', 'pending', 'hold', 'solved']);
    expect(['new', 'open', 'pending', 'hold'].some(zendeskStatusEndsHandOff)).toBe(false);
    expect(zendeskStatusEndsHandOff('solved') && zendeskStatusEndsHandOff('closed')).toBe(true);
  });
});
