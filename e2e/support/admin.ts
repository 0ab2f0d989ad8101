import { randomUUID } from 'node:crypto';
import { type APIRequestContext, expect } from '@playwright/test';

/** Helpers for the administration specs. They share one server: every name and phone is unique. */

const suffix = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

export function uniqueName(prefix: string): string {
  return `${prefix} ${suffix()}`;
}

/** A Brazilian mobile number written with its international prefix, e.g. "+55 11 98123-4567". */
export function uniquePhone(): { typed: string; national: string; e164: string } {
  const digits = () => String(Math.floor(Math.random() * 10));
  const first = String(1 + Math.floor(Math.random() * 9));
  const a = `9${first}${digits()}${digits()}${digits()}`;
  const b = `${digits()}${digits()}${digits()}${digits()}`;
  return { typed: `+55 11 ${a}-${b}`, national: `11 ${a}-${b}`, e164: `+5511${a}${b}` };
}

export interface ApiAgent {
  id: string;
  name: string;
  email: string;
  role: string;
  active: boolean;
}
export interface ApiContact {
  id: string;
  name: string;
  phone: string | null;
  designatedAgentId: string | null;
}
export interface ApiTicket {
  id: string;
  subject: string;
  status: string;
  priority: string;
  tags: string[];
  assigneeId: string | null;
  contactId: string;
  intentId: string | null;
}

export async function agentNamed(request: APIRequestContext, name: string): Promise<ApiAgent> {
  const res = await request.get('/api/agents');
  expect(res.ok()).toBe(true);
  const { agents } = (await res.json()) as { agents: ApiAgent[] };
  const agent = agents.find((a) => a.name === name);
  if (!agent) throw new Error(`No agent named ${name}`);
  return agent;
}

export async function contactsNamed(request: APIRequestContext, name: string): Promise<ApiContact[]> {
  const res = await request.get(`/api/contacts?q=${encodeURIComponent(name)}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { contacts: ApiContact[] }).contacts.filter((c) => c.name === name);
}

/** The requester's tickets (the ticket search covers the requester's name). */
export async function ticketsOf(request: APIRequestContext, contactName: string): Promise<ApiTicket[]> {
  const res = await request.get(`/api/tickets?q=${encodeURIComponent(contactName)}&limit=50`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { tickets: ApiTicket[] }).tickets;
}

/** A web chat visitor: writes to the bot through the public web chat API. */
export function webchatVisitor(request: APIRequestContext, name: string) {
  const visitorId = randomUUID();
  let token: string | null = null;
  return {
    visitorId,
    name,
    async say(text: string): Promise<void> {
      // The first message creates the visitor and answers their token; later ones send it.
      const res = await request.post('/channels/webchat/messages', token ? { data: { text, name }, headers: { 'X-Visitor-Token': token } } : { data: { visitorId, text, name } });
      expect(res.status(), await res.text()).toBe(201);
      token ??= ((await res.json()) as { visitorToken: string }).visitorToken;
    },
  };
}
