import { ContactInput, DeskIntegrationInput, IntentInput } from '@desk/core';
import { describe, expect, it } from 'vitest';
import { fieldMessagesOf, parseMessages, visibleMessages } from './form-messages.ts';

const issuesOf = (result: { success: boolean; error?: { issues: unknown[] } }) =>
  (result.success ? [] : (result.error?.issues ?? [])) as Parameters<typeof fieldMessagesOf>[0];

describe('fieldMessagesOf', () => {
  it('asks for the country code when a phone has none', () => {
    const fields = fieldMessagesOf(issuesOf(ContactInput.safeParse({ name: 'Ana', phone: '11 91234-5678' })));
    expect(fields).toEqual({ phone: { key: 'form.phoneCountryCode' } });
  });

  it('tells an invalid international number apart', () => {
    const fields = fieldMessagesOf(issuesOf(ContactInput.safeParse({ name: 'Ana', phone: '+55 11 1' })));
    expect(fields.phone).toEqual({ key: 'form.phoneInvalid' });
  });

  it('accepts a number with its international prefix', () => {
    const result = ContactInput.safeParse({ name: 'Ana', phone: '+55 11 91234-5678' });
    expect(result.success && result.data.phone).toBe('+5511912345678');
  });

  it('maps required fields, e-mails and lists', () => {
    const contact = fieldMessagesOf(issuesOf(ContactInput.safeParse({ name: ' ', email: 'nope' })));
    expect(contact).toEqual({ name: { key: 'form.required' }, email: { key: 'form.emailInvalid' } });
    const intent = fieldMessagesOf(issuesOf(IntentInput.safeParse({ name: 'x', phrases: [] })));
    expect(intent).toEqual({ phrases: { key: 'form.atLeastOne' } });
    const row = fieldMessagesOf(issuesOf(IntentInput.safeParse({ name: 'x', phrases: ['ok', ' '] })));
    expect(row).toEqual({ 'phrases.1': { key: 'form.required' } });
  });

  it('maps a tag that breaks the pattern', () => {
    const fields = fieldMessagesOf(issuesOf(DeskIntegrationInput.safeParse({ subject: 'S', tags: ['a/b'] })));
    expect(fields['tags.0']).toEqual({ key: 'form.formatInvalid' });
  });
});

describe('parseMessages', () => {
  it('answers no messages for valid values and the field messages otherwise', () => {
    expect(parseMessages(ContactInput.safeParse({ name: 'Ana', phone: '+55 11 91234-5678' }))).toEqual({});
    expect(parseMessages(ContactInput.safeParse({ name: 'Ana', phone: '11 91234-5678' }))).toEqual({ phone: { key: 'form.phoneCountryCode' } });
  });
});

describe('visibleMessages', () => {
  const local = { name: { key: 'form.required' as const }, 'phrases.1': { key: 'form.required' as const } };
  it('shows local messages for touched fields only until a save is attempted', () => {
    expect(visibleMessages(local, {}, new Set(['name']), false)).toEqual({ name: local.name });
    expect(visibleMessages(local, {}, new Set(['phrases']), false)).toEqual({ 'phrases.1': local['phrases.1'] });
    expect(visibleMessages(local, {}, new Set(), true)).toEqual(local);
  });
  it('always shows server messages', () => {
    expect(visibleMessages({}, { phone: { text: 'Already in use.' } }, new Set(), false)).toEqual({ phone: { text: 'Already in use.' } });
  });
});
