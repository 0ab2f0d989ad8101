import 'fake-indexeddb/auto';
import type { Contact, Message, SyncChange, Ticket } from '@desk/core';
import { describe, expect, it } from 'vitest';
import { contactWords, indexChanges, SearchDb, searchTicketIds, searchWords } from '../search-index.ts';

describe('search words', () => {
  it('lower-cases, strips accents and punctuation', () => {
    expect(searchWords('Não consigo PAGAR a fatura!')).toEqual(['nao', 'consigo', 'pagar', 'a', 'fatura']);
  });
  it('finds a contact by any run of the phone digits and by e-mail', () => {
    const words = contactWords({ name: 'Ana Souza', email: 'ana@example.com', phone: '+5511912345678' });
    expect(words).toEqual(expect.arrayContaining(['ana', 'souza', 'ana@example.com', '5511912345678', '12345678', '678']));
  });
});

describe('searchTicketIds', () => {
  it('matches every word by prefix over subject, messages and requester', async () => {
    const sdb = new SearchDb(`search-${crypto.randomUUID()}`);
    let seq = 0;
    const put = (entity: SyncChange['entity'], data: { id: string }): SyncChange => ({ seq: ++seq, entity, id: data.id, op: 'put', data });
    const ticket = (id: string, number: number, subject: string, contactId: string) => ({ id, number, subject, contactId }) as Ticket;
    const message = (id: string, ticketId: string, text: string) => ({ id, ticketId, text, attachments: [] }) as unknown as Message;
    const contact = (id: string, name: string, phone: string | null) => ({ id, name, phone, email: null }) as Contact;
    await indexChanges(sdb, [
      put('message', message('m1', 't1', 'My parcel never arrived')),
      put('ticket', ticket('t1', 41, 'Acme — Billing problem', 'c1')),
      put('ticket', ticket('t2', 42, 'Acme — Talk to a person', 'c2')),
      put('contact', contact('c1', 'Júlia Prado', '+5511988887777')),
      put('contact', contact('c2', 'Bob Stone', null)),
    ]);
    expect(await searchTicketIds(sdb, 'parc')).toEqual(new Set(['t1']));
    expect(await searchTicketIds(sdb, 'julia billing')).toEqual(new Set(['t1']));
    expect(await searchTicketIds(sdb, '88887')).toEqual(new Set(['t1']));
    expect(await searchTicketIds(sdb, 'acme')).toEqual(new Set(['t1', 't2']));
    expect(await searchTicketIds(sdb, '42')).toEqual(new Set(['t2']));
    expect(await searchTicketIds(sdb, 'bob parcel')).toEqual(new Set());
  });
});
