import { attachmentKindOf, type Message, visibleToEndUser, type WebchatMessage } from '@desk/core';
import type { WebchatInboxEvent } from './webchat-inbox.ts';

/**
 * A stored message as the visitor sees it: no ticket or delivery internals, the agent's name,
 * and file links the visitor may open with their token (the agents' /media links need a session).
 * Null for what the visitor must never see (an internal note): callers drop it.
 */
export function toWebchatMessage(message: Message, agentName: (id: string) => string | undefined): WebchatMessage | null {
  const authorKind = message.authorKind;
  if (authorKind === 'note' || !visibleToEndUser(message)) return null;
  const view: WebchatMessage = {
    id: message.id,
    authorKind,
    text: message.text,
    attachments: message.attachments.map((a) => ({
      kind: a.kind,
      mimeType: a.mimeType,
      size: a.size,
      name: a.name,
      url: a.url.replace(/^\/media\/([\w-]+)$/, (_m, id: string) => `/channels/webchat/media/${id}`),
    })),
    createdAt: message.createdAt,
  };
  const name = message.agentId ? agentName(message.agentId) : undefined;
  if (message.authorKind === 'agent' && name) view.agentName = name;
  if (message.quickReplies?.length) view.quickReplies = message.quickReplies;
  return view;
}

/** The visitor's view of a list of stored messages, internal ones left out. */
export function toWebchatMessages(messages: readonly Message[], agentName: (id: string) => string | undefined): WebchatMessage[] {
  return messages.flatMap((message) => toWebchatMessage(message, agentName) ?? []);
}

/** The visitor's message as the POST answers it: taken into the inbox, stored under this id moments later. */
export function acceptedWebchatMessage(event: WebchatInboxEvent, receivedAt: string): WebchatMessage {
  const { file } = event;
  return {
    id: event.id,
    authorKind: 'user',
    text: event.text,
    attachments: file
      ? [
          {
            kind: attachmentKindOf(file.mimeType),
            mimeType: file.mimeType,
            size: file.size,
            name: file.name,
            url: `/channels/webchat/media/${file.mediaId}`,
          },
        ]
      : [],
    createdAt: receivedAt,
  };
}
