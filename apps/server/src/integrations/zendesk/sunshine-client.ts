import { smoochReason } from '../../channels/smooch/smooch-adapter.ts';
import { callRemote, type RemoteCall, RemoteCallError } from './remote-call.ts';
import type { MessagingCredentials } from './zendesk-settings.ts';

/** Marks what Desk posts into a Sunshine conversation, so its webhook echo is recognised and ignored. */
export const DESK_ORIGIN = { origin: 'desk' } as const;

export type SunshineAuthor = { type: 'business' } | { type: 'user'; userExternalId: string };
export type SunshineContent = { type: 'text'; text: string } | { type: 'image' | 'file'; mediaUrl: string; text?: string };

/** The Sunshine Conversations v2 endpoints of the switchboard hand-off. */
export class SunshineClient {
  constructor(
    private readonly credentials: () => MessagingCredentials | null,
    private readonly timeoutMs: number,
  ) {}

  private creds(): MessagingCredentials {
    const c = this.credentials();
    if (!c) throw new Error('Zendesk messaging is not configured.');
    return c;
  }

  private call<T>(path: string, init: Omit<RemoteCall, 'service' | 'url' | 'timeoutMs' | 'reasonOf'> = {}) {
    const c = this.creds();
    return callRemote<T>({
      service: 'Sunshine Conversations',
      url: `${c.apiUrl}/v2/apps/${encodeURIComponent(c.appId)}${path}`,
      timeoutMs: this.timeoutMs,
      reasonOf: smoochReason,
      ...init,
      headers: { authorization: c.authorization, ...init.headers },
    });
  }

  /** Connect: the app answers with these keys, and the switchboard has the integration to pass control to. */
  async check(): Promise<void> {
    await this.call('');
    const wanted = this.creds().switchboardIntegration;
    const { body } = await this.call<{ switchboards?: { id: string }[] }>('/switchboards');
    for (const board of body.switchboards ?? []) {
      const list = await this.call<{ switchboardIntegrations?: { id: string; name: string; integrationType?: string }[] }>(
        `/switchboards/${encodeURIComponent(board.id)}/switchboardIntegrations`,
      );
      if ((list.body.switchboardIntegrations ?? []).some((i) => i.name === wanted || i.id === wanted || i.integrationType === wanted)) return;
    }
    throw new RemoteCallError(`The switchboard has no integration named "${wanted}".`, 404, false);
  }

  /** The Sunshine user for a Desk contact (`externalId` = the contact id), created when missing. */
  async userFor(externalId: string, givenName: string): Promise<string> {
    const get = async () => (await this.call<{ user: { id: string } }>(`/users/${encodeURIComponent(externalId)}`)).body.user.id;
    try {
      return await get();
    } catch (err) {
      if (!(err instanceof RemoteCallError) || err.status !== 404) throw err;
    }
    try {
      const { body } = await this.call<{ user: { id: string } }>('/users', { method: 'POST', json: { externalId, profile: { givenName } } });
      return body.user.id;
    } catch (err) {
      // Created meanwhile (a retried job): read it.
      if (err instanceof RemoteCallError && err.status === 409) return get();
      throw err;
    }
  }

  async createConversation(userExternalId: string, displayName: string): Promise<string> {
    const { body } = await this.call<{ conversation: { id: string } }>('/conversations', {
      method: 'POST',
      json: { type: 'personal', participants: [{ userExternalId }], displayName: displayName.slice(0, 100), metadata: DESK_ORIGIN },
    });
    return body.conversation.id;
  }

  async postMessage(conversationId: string, author: SunshineAuthor, content: SunshineContent): Promise<string> {
    const { body } = await this.call<{ messages: { id: string }[] }>(`/conversations/${encodeURIComponent(conversationId)}/messages`, {
      method: 'POST',
      json: { author, content, metadata: DESK_ORIGIN },
    });
    return body.messages[0]?.id ?? '';
  }

  /** A file for a message: Sunshine keeps it and answers the URL to post. */
  async uploadAttachment(conversationId: string, name: string, mimeType: string, bytes: Uint8Array): Promise<string> {
    const form = new FormData();
    form.set('source', new Blob([Buffer.from(bytes)], { type: mimeType }), name);
    const { body } = await this.call<{ attachment: { mediaUrl: string } }>(
      `/attachments?access=public&for=message&conversationId=${encodeURIComponent(conversationId)}`,
      { method: 'POST', body: { bytes: form } },
    );
    return body.attachment.mediaUrl;
  }

  async passControl(conversationId: string, metadata: Record<string, string>): Promise<void> {
    await this.call(`/conversations/${encodeURIComponent(conversationId)}/passControl`, {
      method: 'POST',
      json: { switchboardIntegration: this.creds().switchboardIntegration, metadata },
    });
  }
}
