import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TelegramStandIn {
  url: string;
  /** The texts Desk sent with sendMessage, per chat id. */
  sent: { chatId: string; text: string }[];
  close(): Promise<void>;
}

/** The Bot API as Desk calls it (setWebhook, sendMessage, …), answering like Telegram does. */
export async function startTelegramStandIn(): Promise<TelegramStandIn> {
  const sent: TelegramStandIn['sent'] = [];
  let messageId = 1000;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const method = (req.url ?? '').split('/').at(-1) ?? '';
      const params = body ? (JSON.parse(body) as { chat_id?: string | number; text?: string }) : {};
      res.setHeader('content-type', 'application/json');
      if (method === 'sendMessage') {
        sent.push({ chatId: String(params.chat_id), text: params.text ?? '' });
        messageId += 1;
        res.end(JSON.stringify({ ok: true, result: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(params.chat_id), type: 'private' }, text: params.text } }));
        return;
      }
      res.end(JSON.stringify({ ok: true, result: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, sent, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
