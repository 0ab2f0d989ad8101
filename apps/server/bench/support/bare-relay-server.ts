/**
 * The end-to-end benchmark's baseline: the machine's own limit for the same pipeline with nothing
 * of Desk in it. A bare Hono route (any webhook path) parses the JSON, inserts it into a WAL SQLite
 * inbox and answers; a loop takes the pending rows in batches, queues one reply per row in the same
 * transaction, sends each reply to the platform stand-in (the same API call Desk makes, through the same
 * HTTP client) and marks it sent in its own statement when the call returns. No NLU, no conversations, no change log.
 * Run as its own process by the benchmark (PORT, DB_FILE, the stand-ins' URLs and credentials in the
 * env); prints "listening <port>" when ready.
 */
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { Agent, request } from 'undici';

const env = (name: string) => process.env[name] ?? '';
const db = new Database(env('DB_FILE'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`CREATE TABLE IF NOT EXISTS inbox (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0, received_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS inbox_pending ON inbox(id) WHERE done = 0;
CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL, body TEXT NOT NULL, auth TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0);`);
const insert = db.prepare('INSERT INTO inbox (payload, received_at) VALUES (?, ?)');
const pending = db.prepare('SELECT id, payload FROM inbox WHERE done = 0 ORDER BY id LIMIT 200');
const markDone = db.prepare('UPDATE inbox SET done = 1 WHERE id = ?');
const queue = db.prepare('INSERT INTO outbox (url, body, auth) VALUES (?, ?, ?)');
const markSent = db.prepare('UPDATE outbox SET sent = 1 WHERE id = ?');

interface Reply {
  url: string;
  body: string;
  auth: string;
}

const bearer = (token: string) => `Bearer ${token}`;
const basic = `Basic ${Buffer.from(`${env('SMOOCH_KEY_ID')}:${env('SMOOCH_KEY_SECRET')}`).toString('base64')}`;

/** The reply each platform's webhook body calls for, as the platform's send API takes it. */
function replyTo(path: string, payload: string): Reply {
  // biome-ignore lint/suspicious/noExplicitAny: a bare baseline reads the few fields it needs without schemas
  const body = JSON.parse(payload) as any;
  const text = 'Hello!';
  if (path.includes('telegram')) {
    return { url: `${env('TELEGRAM_API_URL')}/bot${env('TELEGRAM_BOT_TOKEN')}/sendMessage`, body: JSON.stringify({ chat_id: body.message.chat.id, text }), auth: '' };
  }
  if (path.includes('smooch')) {
    const conversation = body.events[0].payload.conversation.id;
    return {
      url: `${env('SMOOCH_API_URL')}/v2/apps/${env('SMOOCH_APP_ID')}/conversations/${conversation}/messages`,
      body: JSON.stringify({ author: { type: 'business' }, content: { type: 'text', text } }),
      auth: basic,
    };
  }
  if (body.object === 'whatsapp_business_account') {
    const to = body.entry[0].changes[0].value.messages[0].from;
    return {
      url: `${env('META_GRAPH_URL')}/${env('WHATSAPP_PHONE_NUMBER_ID')}/messages`,
      body: JSON.stringify({ messaging_product: 'whatsapp', to, type: 'text', text: { body: text } }),
      auth: bearer(env('WHATSAPP_ACCESS_TOKEN')),
    };
  }
  const event = body.entry[0].messaging[0];
  const token = body.object === 'instagram' ? env('INSTAGRAM_ACCESS_TOKEN') : env('MESSENGER_PAGE_ACCESS_TOKEN');
  return { url: `${env('META_GRAPH_URL')}/${event.recipient.id}/messages`, body: JSON.stringify({ recipient: { id: event.sender.id }, message: { text } }), auth: bearer(token) };
}

const takeBatch = db.transaction(() => {
  const rows = pending.all() as { id: number; payload: string }[];
  const replies: (Reply & { id: number })[] = [];
  for (const row of rows) {
    const { path, body } = JSON.parse(row.payload) as { path: string; body: string };
    const reply = replyTo(path, body);
    replies.push({ ...reply, id: Number(queue.run(reply.url, reply.body, reply.auth).lastInsertRowid) });
    markDone.run(row.id);
  }
  return replies;
});

/** The platform calls go through the same client as Desk's (channels/platform-http.ts): undici's request on a keep-alive pool. */
const pool = new Agent();
const MAX_SENDS = 64;
let sending = 0;
const waiting: (Reply & { id: number })[] = [];
function pump(): void {
  while (sending < MAX_SENDS && waiting.length > 0) {
    const reply = waiting.shift() as Reply & { id: number };
    sending += 1;
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(reply.auth ? { authorization: reply.auth } : {}) };
    request(reply.url, { method: 'POST', body: reply.body, headers, dispatcher: pool })
      .then((res) => res.body.arrayBuffer())
      .then(() => markSent.run(reply.id))
      .catch((err) => console.error('[bare relay] send failed', err))
      .finally(() => {
        sending -= 1;
        pump();
      });
  }
}

let scheduled = false;
function kick(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    const replies = takeBatch.immediate();
    waiting.push(...replies);
    pump();
    if (replies.length > 0) kick();
  });
}

const app = new Hono();
app.post('*', async (c) => {
  const raw = await c.req.text();
  JSON.parse(raw);
  insert.run(JSON.stringify({ path: c.req.path, body: raw }), new Date().toISOString());
  kick();
  return c.json({ ok: true });
});
app.get('/healthz', (c) => c.json({ ok: true }));

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening ${info.port}`);
});
process.on('SIGTERM', () => {
  server.close();
  db.close();
  process.exit(0);
});
