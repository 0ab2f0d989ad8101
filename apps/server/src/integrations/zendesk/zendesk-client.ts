import type { ZendeskPriority, ZendeskStatus } from '@desk/core';
import { callRemote, type RemoteCall } from './remote-call.ts';
import type { SupportCredentials } from './zendesk-settings.ts';

/**
 * Zendesk's error bodies: `{ error: "RecordInvalid", description, details: { field: [{ description }] } }`,
 * `{ error: "Couldn't authenticate you" }`, `{ error: { title, message } }` or `{ errors: [{ title, detail }] }`.
 */
export function zendeskReason(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as { error?: unknown; description?: unknown; details?: unknown; errors?: unknown };
  if (typeof b.description === 'string') {
    const details = b.details && typeof b.details === 'object' ? Object.entries(b.details as Record<string, unknown>) : [];
    const parts = details.flatMap(([field, list]) =>
      Array.isArray(list) ? list.map((d) => `${field}: ${String((d as { description?: unknown }).description ?? '').trim()}`) : [],
    );
    return parts.length > 0 ? `${b.description} (${parts.join('; ')})` : b.description;
  }
  if (typeof b.error === 'string') return b.error;
  if (b.error && typeof b.error === 'object') {
    const e = b.error as { title?: unknown; message?: unknown };
    return [e.title, e.message].filter((x) => typeof x === 'string').join(': ') || null;
  }
  if (Array.isArray(b.errors) && b.errors[0]) {
    const e = b.errors[0] as { title?: unknown; detail?: unknown };
    return [e.title, e.detail].filter((x) => typeof x === 'string').join(': ') || null;
  }
  return null;
}

/** A ticket in Zendesk's agent interface. */
export function ticketUrl(subdomain: string, ticketId: number): string {
  return `https://${subdomain}.zendesk.com/agent/tickets/${ticketId}`;
}

export interface ZendeskComment {
  id: number;
  author_id: number;
  body: string;
  public: boolean;
  created_at?: string;
}

export interface NewTicket {
  subject: string;
  comment: { body: string; public: false };
  requester_id: number;
  tags: string[];
  priority: ZendeskPriority;
  status: ZendeskStatus;
  group_id?: number;
  external_id: string;
}

/** The few Support API endpoints Desk calls, over fetch. */
export class ZendeskClient {
  constructor(
    private readonly credentials: () => SupportCredentials | null,
    private readonly timeoutMs: number,
  ) {}

  private call<T>(path: string, init: Omit<RemoteCall, 'service' | 'url' | 'timeoutMs' | 'reasonOf'> = {}) {
    const credentials = this.credentials();
    if (!credentials) throw new Error('Zendesk Support is not configured.');
    return callRemote<T>({
      service: 'Zendesk',
      url: `${credentials.baseUrl}${path}`,
      timeoutMs: this.timeoutMs,
      reasonOf: zendeskReason,
      ...init,
      headers: { authorization: credentials.authorization, ...init.headers },
    });
  }

  async me(): Promise<{ id: number; role: string; name: string }> {
    return (await this.call<{ user: { id: number; role: string; name: string } }>('/api/v2/users/me')).body.user;
  }

  async createOrUpdateUser(user: { name: string; external_id: string; email?: string; phone?: string }): Promise<number> {
    const { body } = await this.call<{ user: { id: number } }>('/api/v2/users/create_or_update', {
      method: 'POST',
      json: { user: { ...user, role: 'end-user', skip_verify_email: true } },
    });
    return body.user.id;
  }

  /** `Idempotency-Key`: a retried create answers the ticket the first one made. */
  async createTicket(ticket: NewTicket, idempotencyKey: string): Promise<{ id: number; status: string }> {
    const { body } = await this.call<{ ticket: { id: number; status: string } }>('/api/v2/tickets', {
      method: 'POST',
      headers: { 'idempotency-key': idempotencyKey },
      json: { ticket },
    });
    return body.ticket;
  }

  async addComment(ticketId: number, comment: { body: string; author_id: number; public: true; uploads?: string[] }): Promise<void> {
    await this.call(`/api/v2/tickets/${ticketId}`, { method: 'PUT', json: { ticket: { comment } } });
  }

  async upload(name: string, contentType: string, bytes: Uint8Array): Promise<string> {
    const { body } = await this.call<{ upload: { token: string } }>(`/api/v2/uploads?filename=${encodeURIComponent(name)}`, {
      method: 'POST',
      body: { bytes, contentType },
    });
    return body.upload.token;
  }

  async ticket(ticketId: number): Promise<{ id: number; status: string }> {
    return (await this.call<{ ticket: { id: number; status: string } }>(`/api/v2/tickets/${ticketId}`)).body.ticket;
  }

  /** Every comment, oldest first, following `next_page`. */
  async comments(ticketId: number): Promise<ZendeskComment[]> {
    const all: ZendeskComment[] = [];
    let path: string | null = `/api/v2/tickets/${ticketId}/comments?sort_order=asc`;
    for (let page = 0; path && page < 50; page++) {
      const { body }: { body: { comments: ZendeskComment[]; next_page?: string | null } } = await this.call(path);
      all.push(...body.comments);
      path = body.next_page ? new URL(body.next_page).pathname + new URL(body.next_page).search : null;
    }
    return all;
  }

  async createWebhook(name: string, endpoint: string): Promise<string> {
    const { body } = await this.call<{ webhook: { id: string } }>('/api/v2/webhooks', {
      method: 'POST',
      json: { webhook: { name, endpoint, http_method: 'POST', request_format: 'json', status: 'active', subscriptions: ['conditional_ticket_events'] } },
    });
    return body.webhook.id;
  }

  async signingSecret(webhookId: string): Promise<string> {
    const { body } = await this.call<{ signing_secret: { secret: string } }>(`/api/v2/webhooks/${encodeURIComponent(webhookId)}/signing_secret`);
    return body.signing_secret.secret;
  }

  /** The trigger that pokes Desk's webhook whenever a ticket Desk created changes. */
  async createTrigger(webhookId: string, tag: string): Promise<number> {
    const payload = JSON.stringify({ ticket_id: '{{ticket.id}}', status: '{{ticket.status}}' });
    const { body } = await this.call<{ trigger: { id: number } }>('/api/v2/triggers', {
      method: 'POST',
      json: {
        trigger: {
          title: 'Desk: tell Desk about replies and status changes',
          conditions: { all: [{ field: 'current_tags', operator: 'includes', value: tag }, { field: 'update_type', operator: 'is', value: 'Change' }] },
          actions: [{ field: 'notification_webhook', value: [webhookId, payload] }],
        },
      },
    });
    return body.trigger.id;
  }
}
