/**
 * The webhook benchmarks' baseline: the machine's own limit for "parse the JSON, insert it into a
 * WAL SQLite file, answer". A bare Hono route on @hono/node-server with better-sqlite3, nothing else.
 * Run as its own process by the benchmarks (PORT, DB_FILE); prints "listening <port>" when ready.
 */
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';

const db = new Database(process.env.DB_FILE as string);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL, received_at TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO events (payload, received_at) VALUES (?, ?)');

const app = new Hono();
app.post('/hook', async (c) => {
  const raw = await c.req.text();
  JSON.parse(raw);
  insert.run(raw, new Date().toISOString());
  return c.json({ ok: true });
});
app.get('/count', (c) => c.json(db.prepare('SELECT COUNT(*) AS n FROM events').get()));

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening ${info.port}`);
});
process.on('SIGTERM', () => {
  server.close();
  db.close();
  process.exit(0);
});
