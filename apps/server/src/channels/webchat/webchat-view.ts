import type { Message, WebchatMessage } from '@desk/core';

/**
 * A stored message as the visitor sees it: no ticket or delivery internals, the agent's name,
 * and file links the visitor may open with their token (the agents' /media links need a session).
 */
export function toWebchatMessage(message: Message, agentName: (id: string) => string | undefined): WebchatMessage {
  const view: WebchatMessage = {
    id: message.id,
    authorKind: message.authorKind,
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
  return view;
}
