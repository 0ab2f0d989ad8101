import { describe, expect, it } from 'vitest';
import {
  applyMutation,
  can,
  MUTATION_NAMES,
  MUTATIONS,
  type MutationArgsOf,
  type MutationName,
  mutationReads,
  mutationWrites,
  parseMutation,
  ROLES,
  type SyncEntity,
  type Ticket,
} from '../src/index.ts';

const ticket: Ticket = {
  id: 't-1',
  number: 1,
  subject: 'Card declined',
  status: 'open',
  priority: 'normal',
  tags: ['vip'],
  assigneeId: null,
  contactId: 'c-1',
  channel: 'webchat',
  conversationId: 'conv-1',
  intentId: null,
  intentConfidence: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  solvedAt: null,
};
const contact = { id: 'c-1', name: 'Rita', phone: null, email: null, designatedAgentId: null, identities: [], createdAt: ticket.createdAt, updatedAt: ticket.createdAt };

/** One valid example per mutation: the type makes a new mutation without an example a compile error. */
const EXAMPLES: { [N in MutationName]: MutationArgsOf<N> } = {
  'ticket.setStatus': { ticketId: 't-1', status: 'pending' },
  'ticket.setPriority': { ticketId: 't-1', priority: 'high' },
  'ticket.assign': { ticketId: 't-1', agentId: 'agent-2' },
  'ticket.addTag': { ticketId: 't-1', tag: 'billing' },
  'ticket.removeTag': { ticketId: 't-1', tag: 'vip' },
  'ticket.reply': { ticketId: 't-1', messageId: '0b9f6a8e-4a2a-4c53-9a55-0f2f0a3c8e01', text: 'Hello' },
  'ticket.markRead': { ticketId: 't-1' },
  'ticket.note': { ticketId: 't-1', messageId: '0b9f6a8e-4a2a-4c53-9a55-0f2f0a3c8e03', text: 'Ask @bruno' },
  'cannedReply.saveShared': { id: '0b9f6a8e-4a2a-4c53-9a55-0f2f0a3c8e04', shortcut: 'hi', title: 'Hello', texts: { 'pt-BR': 'Olá', es: 'Hola', en: 'Hello' } },
  'cannedReply.savePersonal': { id: '0b9f6a8e-4a2a-4c53-9a55-0f2f0a3c8e05', shortcut: 'bye', title: 'Bye', texts: { 'pt-BR': '', es: '', en: 'Bye' } },
  'cannedReply.deleteShared': { id: '0b9f6a8e-4a2a-4c53-9a55-0f2f0a3c8e04' },
  'cannedReply.deletePersonal': { id: '0b9f6a8e-4a2a-4c53-9a55-0f2f0a3c8e05' },
  'contact.create': { id: '0b9f6a8e-4a2a-4c53-9a55-0f2f0a3c8e02', name: 'Bia' },
  'contact.update': { id: 'c-1', name: 'Rita Lee' },
  'sync.skipId': {},
};

const rows = new Map<string, unknown>([
  ['ticket:t-1', ticket],
  ['contact:c-1', contact],
]);
const read = (entity: SyncEntity, id: string) => rows.get(`${entity}:${id}`);

describe('the mutation registry', () => {
  it.each(MUTATION_NAMES)('%s: parses, names the rows it writes, and its change writes exactly those rows', (name) => {
    const parsed = parseMutation(name, EXAMPLES[name]);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const writes = mutationWrites(parsed.mutation, 'agent-1');
    // A mutation that names no rows would silently skip the rebase when the server answers; only the
    // id filler changes nothing on purpose.
    if (name === 'sync.skipId') expect(writes).toEqual([]);
    else expect(writes.length).toBeGreaterThan(0);
    const applied = applyMutation(parsed.mutation, read, { agentId: 'agent-1', now: '2026-02-02T00:00:00.000Z', isActiveAgent: () => true });
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.rows.map((row) => [row.entity, row.id])).toEqual(writes.map((key) => [...key]));
    for (const key of mutationReads(parsed.mutation, 'agent-1')) expect(['ticket', 'message', 'contact', 'ticketRead', 'cannedReply']).toContain(key[0]);
  });

  it('gives every mutation a permission some role has, and keeps contact changes from agents', () => {
    for (const name of MUTATION_NAMES) expect(ROLES.some((role) => can(role, MUTATIONS[name].permission))).toBe(true);
    expect(can('agent', MUTATIONS['contact.create'].permission)).toBe(false);
    expect(can('agent', MUTATIONS['ticket.reply'].permission)).toBe(true);
  });

  it('checks the ticket rules in the shared change: no reply to a solved ticket, tags added against the current list', () => {
    const solved = new Map<string, unknown>([['ticket:t-1', { ...ticket, status: 'solved' }]]);
    const reply = parseMutation('ticket.reply', EXAMPLES['ticket.reply']);
    if (!reply.ok) throw new Error('parse');
    const refused = applyMutation(reply.mutation, (e, id) => solved.get(`${e}:${id}`), { agentId: 'agent-1', now: ticket.updatedAt });
    expect(refused.ok).toBe(false);
    const tag = parseMutation('ticket.addTag', EXAMPLES['ticket.addTag']);
    if (!tag.ok) throw new Error('parse');
    const tagged = applyMutation(tag.mutation, read, { agentId: 'agent-1', now: ticket.updatedAt });
    if (!tagged.ok) throw new Error(tagged.error.message);
    expect((tagged.rows[0]?.row as Ticket | undefined)?.tags).toEqual(['vip', 'billing']);
  });

  it('keeps canned replies apart: shared ones need an admin, a personal one only its owner may change', () => {
    expect(can('agent', MUTATIONS['cannedReply.saveShared'].permission)).toBe(false);
    expect(can('agent', MUTATIONS['cannedReply.savePersonal'].permission)).toBe(true);
    const theirs = new Map<string, unknown>([['cannedReply:0b9f6a8e-4a2a-4c53-9a55-0f2f0a3c8e05', { id: 'x', ownerId: 'agent-2' }]]);
    const save = parseMutation('cannedReply.savePersonal', EXAMPLES['cannedReply.savePersonal']);
    if (!save.ok) throw new Error('parse');
    const refused = applyMutation(save.mutation, (e, id) => theirs.get(`${e}:${id}`), { agentId: 'agent-1', now: ticket.updatedAt });
    expect(refused.ok === false && refused.error.code).toBe('forbidden');
  });

  it('makes a note an internal message with its mentions, allowed on a solved ticket', () => {
    const solved = new Map<string, unknown>([['ticket:t-1', { ...ticket, status: 'solved' }]]);
    const note = parseMutation('ticket.note', EXAMPLES['ticket.note']);
    if (!note.ok) throw new Error('parse');
    const applied = applyMutation(note.mutation, (e, id) => solved.get(`${e}:${id}`), { agentId: 'agent-1', now: ticket.updatedAt, mentionsIn: () => ['agent-2'] });
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.rows[0]?.row).toMatchObject({ authorKind: 'note', agentId: 'agent-1', mentions: ['agent-2'], delivery: null });
  });

  it('refuses a name it does not know and bad arguments with the field named', () => {
    expect(parseMutation('ticket.delete' as MutationName, {}).ok).toBe(false);
    const bad = parseMutation('ticket.setPriority', { ticketId: 't-1', priority: 'whenever' });
    expect(bad.ok === false && bad.error.message).toContain('priority');
  });
});
