import type { Contact } from '@desk/core';
import { describe, expect, it } from 'vitest';
import { channelsOf, contactMatches, contactSearchOf } from './contact-search.ts';

const contact = (over: Partial<Contact> = {}): Contact => ({
  id: 'c1',
  name: 'João Conceição',
  phone: '+5511912345678',
  email: 'joao@example.com',
  designatedAgentId: null,
  identities: [],
  createdAt: '',
  updatedAt: '',
  ...over,
});

const matches = (query: string, c = contact()) => {
  const search = contactSearchOf(query);
  return search !== null && contactMatches(c, search);
};

describe('contact search', () => {
  it('is null for a blank query', () => {
    expect(contactSearchOf('   ')).toBeNull();
  });
  it('matches names ignoring case and accents, anywhere in the name', () => {
    expect(matches('joao')).toBe(true);
    expect(matches('CONCEI')).toBe(true);
    expect(matches('maria')).toBe(false);
  });
  it('matches e-mails', () => {
    expect(matches('@example.com')).toBe(true);
  });
  it('matches phones by their digits, however they are written', () => {
    expect(matches('+55 11 91234')).toBe(true);
    expect(matches('91234-5678')).toBe(true);
    expect(matches('99999')).toBe(false);
  });
  it('does not take the digits of a word for a phone', () => {
    expect(matches('ana11', contact({ name: 'Bob', email: null }))).toBe(false);
  });
  it('lists each channel once', () => {
    const c = contact({ identities: [{ channel: 'webchat', externalId: 'a' }, { channel: 'webchat', externalId: 'b' }, { channel: 'whatsapp', externalId: '1' }] });
    expect(channelsOf(c)).toEqual(['webchat', 'whatsapp']);
  });
});
