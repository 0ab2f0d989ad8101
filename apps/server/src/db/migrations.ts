/**
 * Versioned schema. A migration is applied once, in a transaction, in order; the applied
 * version is kept in `PRAGMA user_version`. Never edit a migration that has shipped: add one.
 */
import { REPORT_INDEXES_SQL } from '../reports/report-indexes.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The inbox table (migration 8). The inbox file (inbox/inbox-file.ts) holds the same table, so both
 * create it from this text; a later change to the table needs a migration in both lists.
 */
export const INBOX_TABLE = `
CREATE TABLE inbox (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  event_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'set_aside')),
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  received_at TEXT NOT NULL,
  processed_at TEXT,
  UNIQUE (source, event_id)
);
CREATE INDEX inbox_pending ON inbox(id) WHERE state = 'pending';
`;

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE agents (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
  active INTEGER NOT NULL DEFAULT 1,
  password_hash TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX sessions_agent ON sessions(agent_id);

CREATE TABLE password_tokens (
  token_hash TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  expires_at TEXT NOT NULL,
  used_at TEXT
);

CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  phone TEXT,
  email TEXT,
  designated_agent_id TEXT REFERENCES agents(id),
  deleted_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX contacts_phone ON contacts(phone) WHERE phone IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX contacts_name ON contacts(name COLLATE NOCASE);

CREATE TABLE contact_identities (
  channel TEXT NOT NULL,
  external_id TEXT NOT NULL,
  contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  PRIMARY KEY (channel, external_id)
);
CREATE INDEX contact_identities_contact ON contact_identities(contact_id);

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  contact_id TEXT NOT NULL REFERENCES contacts(id),
  channel TEXT NOT NULL,
  external_id TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('bot', 'desk')),
  active_ticket_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (channel, external_id)
);
CREATE INDEX conversations_contact ON conversations(contact_id);

CREATE TABLE intents (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  phrases TEXT NOT NULL,
  answers TEXT NOT NULL,
  desk TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE tickets (
  id TEXT PRIMARY KEY,
  number INTEGER NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('new', 'open', 'pending', 'on-hold', 'solved')),
  priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  tags TEXT NOT NULL DEFAULT '[]',
  assignee_id TEXT REFERENCES agents(id),
  contact_id TEXT NOT NULL REFERENCES contacts(id),
  channel TEXT NOT NULL,
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  intent_id TEXT REFERENCES intents(id) ON DELETE SET NULL,
  intent_confidence REAL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  solved_at TEXT
);
CREATE INDEX tickets_status_updated ON tickets(status, updated_at);
CREATE INDEX tickets_assignee ON tickets(assignee_id, updated_at);
CREATE INDEX tickets_contact ON tickets(contact_id);
CREATE INDEX tickets_conversation ON tickets(conversation_id);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  ticket_id TEXT REFERENCES tickets(id),
  author_kind TEXT NOT NULL CHECK (author_kind IN ('user', 'bot', 'agent', 'system')),
  agent_id TEXT REFERENCES agents(id),
  text TEXT NOT NULL,
  attachments TEXT NOT NULL DEFAULT '[]',
  channel TEXT NOT NULL,
  channel_message_id TEXT,
  delivery TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (channel, channel_message_id)
);
CREATE INDEX messages_conversation ON messages(conversation_id, created_at);
CREATE INDEX messages_ticket ON messages(ticket_id, created_at);

CREATE TABLE ticket_reads (
  ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  read_at TEXT NOT NULL,
  PRIMARY KEY (ticket_id, agent_id)
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Sync: every change to synced data appends here in the same transaction; seq is the only cursor.
CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('put', 'delete')),
  data TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX change_log_entity ON change_log(entity, entity_id);

CREATE TABLE sync_clients (
  client_id TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  last_mutation_id INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);

CREATE TABLE sync_mutations (
  client_id TEXT NOT NULL,
  mutation_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
  error TEXT,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (client_id, mutation_id)
);

-- Outbound messages to the users' channels, delivered after commit and retried with backoff.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL UNIQUE REFERENCES messages(id),
  channel TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);

CREATE TABLE push_subscriptions (
  endpoint TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'conversation language and media files',
    sql: `
-- The language the user last wrote in, so a short "ok" is answered in the same language.
ALTER TABLE conversations ADD COLUMN language TEXT;

-- Files sent by end users, stored under DATA_DIR/media/<id>; served only to agents and to their sender.
CREATE TABLE media (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  mime_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX media_conversation ON media(conversation_id);
`,
  },
  {
    version: 3,
    name: 'sync: per-agent change log rows',
    sql: `
-- Rows only one agent may pull (their own read marks); NULL means every agent who may see the entity.
ALTER TABLE change_log ADD COLUMN audience TEXT;
`,
  },
  {
    version: 4,
    name: 'messaging channels: media downloads and channel peers',
    sql: `
-- Files a messaging platform told us about, fetched after the webhook was acknowledged; retried with backoff.
CREATE TABLE channel_media_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL REFERENCES messages(id),
  position INTEGER NOT NULL,
  media_id TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL,
  source TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'stored', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (message_id, position)
);
CREATE INDEX channel_media_jobs_due ON channel_media_jobs(state, next_attempt_at);

-- What a platform told about the other end of a conversation that sending needs later
-- (the Messenger page or Instagram account it wrote to, the real channel behind Sunshine Conversations).
CREATE TABLE channel_peers (
  channel TEXT NOT NULL,
  external_id TEXT NOT NULL,
  details TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (channel, external_id)
);
`,
  },
  {
    version: 5,
    name: 'web push: the language each device reads notifications in',
    sql: `
ALTER TABLE push_subscriptions ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
`,
  },
  {
    version: 6,
    name: 'outbox: in order within a conversation, in parallel across conversations',
    sql: `
-- The worker sends one message per conversation at a time, oldest first; other conversations in parallel.
ALTER TABLE outbox ADD COLUMN conversation_id TEXT;
UPDATE outbox SET conversation_id = (SELECT conversation_id FROM messages WHERE messages.id = outbox.message_id);
CREATE INDEX outbox_pending_conversation ON outbox(conversation_id, id) WHERE state = 'pending';
`,
  },
  {
    version: 7,
    name: 'hand-off to Zendesk Support and Zendesk messaging',
    sql: `
-- Each intent chooses where its hand-off goes; intents stored before go to Desk.
UPDATE intents SET desk = json_set(desk, '$.destination', 'desk', '$.zendeskGroupId', NULL)
  WHERE json_extract(desk, '$.destination') IS NULL;

-- A conversation handed to Zendesk: the bot is silent while this is set (mode stays 'bot' underneath,
-- since the original CHECK on mode can't be altered in place).
ALTER TABLE conversations ADD COLUMN external_mode TEXT CHECK (external_mode IN ('zendesk', 'zendesk_messaging'));

-- One hand-off of a conversation to Zendesk, open until the ticket is solved or control is released.
CREATE TABLE external_handoffs (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  destination TEXT NOT NULL CHECK (destination IN ('zendesk_support', 'zendesk_messaging')),
  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
  intent_id TEXT,
  subject TEXT NOT NULL,
  tags TEXT NOT NULL,
  status TEXT NOT NULL,
  priority TEXT NOT NULL,
  group_id INTEGER,
  transcript TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  requester_id INTEGER,
  zendesk_ticket_id INTEGER,
  sunshine_conversation_id TEXT,
  transcript_posted INTEGER NOT NULL DEFAULT 0,
  first_message_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX external_handoffs_open ON external_handoffs(conversation_id) WHERE state = 'open';
CREATE INDEX external_handoffs_ticket ON external_handoffs(zendesk_ticket_id);
CREATE INDEX external_handoffs_sunshine ON external_handoffs(sunshine_conversation_id);

-- Every call to Zendesk or Sunshine, durable: retried with backoff, in order per hand-off and lane.
CREATE TABLE handoff_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  handoff_id TEXT NOT NULL REFERENCES external_handoffs(id),
  kind TEXT NOT NULL CHECK (kind IN ('open', 'forward', 'sync')),
  lane TEXT NOT NULL CHECK (lane IN ('outbound', 'inbound')),
  message_id TEXT,
  state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX handoff_jobs_pending ON handoff_jobs(handoff_id, lane, id) WHERE state = 'pending';

-- Ticket updates Desk made, to stay under Zendesk's per-ticket limit (30 in 10 minutes).
CREATE TABLE zendesk_ticket_updates (
  ticket_id INTEGER NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX zendesk_ticket_updates_ticket ON zendesk_ticket_updates(ticket_id, at);

-- Agent comments and messages already relayed to the user: each once, whatever the webhooks repeat.
CREATE TABLE handoff_relayed (
  handoff_id TEXT NOT NULL REFERENCES external_handoffs(id),
  remote_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  PRIMARY KEY (handoff_id, remote_id)
);
`,
  },
  {
    version: 8,
    name: 'inbox: webhooks store the raw event and answer; a processor handles it in batches',
    sql: `
-- Every webhook (and the web chat's POST) lands here first, once per (source, platform event id).
-- state: pending (waiting for the processor), done, or set_aside (it threw: kept with its error for admins).${INBOX_TABLE}`,
  },
  {
    version: 9,
    name: 'bot messages remember their kind and the choices they offered',
    sql: `
-- A bot message's choices (JSON [{label, value}]) and what it was (answer, ask, fallback, offer…):
-- the next turn reads them to take a pressed button, or to count misses in a row.
ALTER TABLE messages ADD COLUMN quick_replies TEXT;
ALTER TABLE messages ADD COLUMN bot_kind TEXT;
`,
  },
  {
    version: 10,
    name: 'web chat: visitor tokens, upload ledger',
    sql: `
-- A web chat visitor: the id is public (the conversation's external id, shown to agents); the secret
-- token the widget holds is kept only as a hash. Visitors from before tokens have none yet: their
-- widget's first request claims one with the old id (once), then the token is required.
CREATE TABLE webchat_visitors (
  id TEXT PRIMARY KEY,
  token_hash TEXT UNIQUE,
  created_at TEXT NOT NULL,
  token_issued_at TEXT
);
INSERT OR IGNORE INTO webchat_visitors (id, token_hash, created_at)
  SELECT external_id, NULL, created_at FROM conversations WHERE channel = 'webchat';

-- Bytes anonymous visitors uploaded, by address: the per-address storage quota counts the last day.
CREATE TABLE upload_ledger (
  address TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX upload_ledger_address ON upload_ledger(address, created_at);
`,
  },
  {
    version: 11,
    name: 'team: internal notes, canned replies',
    sql: `
-- Internal notes between agents. Kept apart from messages on purpose: nothing that reads messages
-- (the web chat, the channels' outbox, Zendesk, bot transcripts) can ever reach a note. Synced to
-- agents as 'message' rows with authorKind 'note'.
CREATE TABLE notes (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  agent_id TEXT NOT NULL REFERENCES agents(id),
  text TEXT NOT NULL,
  mentions TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL
);
CREATE INDEX notes_ticket ON notes(ticket_id, created_at);

-- Canned replies: owner_id NULL = shared (admins manage them), otherwise that agent's own.
CREATE TABLE canned_replies (
  id TEXT PRIMARY KEY,
  owner_id TEXT REFERENCES agents(id) ON DELETE CASCADE,
  shortcut TEXT NOT NULL,
  title TEXT NOT NULL,
  texts TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX canned_replies_owner ON canned_replies(owner_id);
`,
  },
  {
    version: 12,
    name: 'reports: bot turns, hourly roll-ups, ticket timings; the misses inbox',
    sql: `
-- What the bot did with each user message it read (one row per message): reports and the misses inbox
-- read these instead of reconstructing the turns from the transcript.
-- kind: answer, ask, fallback, offer, accept_person, decline_person; hand_off: desk, zendesk_support,
-- zendesk_messaging when the turn handed the conversation off.
CREATE TABLE bot_turns (
  message_id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  language TEXT,
  kind TEXT NOT NULL,
  intent_id TEXT,
  chosen INTEGER NOT NULL DEFAULT 0,
  hand_off TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX bot_turns_conversation ON bot_turns(conversation_id, created_at);

-- Counters per UTC hour (YYYY-MM-DDTHH), metric, channel and intent ('' when none), added to in the
-- transaction that did the counted thing. Hours, not days, so the workspace's time zone can change.
-- status:<s> rows are +1/-1 as tickets enter and leave a status (the backlog over time).
CREATE TABLE report_hourly (
  metric TEXT NOT NULL,
  hour TEXT NOT NULL,
  channel TEXT NOT NULL,
  intent_id TEXT NOT NULL DEFAULT '',
  value INTEGER NOT NULL,
  PRIMARY KEY (metric, hour, channel, intent_id)
);

-- The same counters per local day in the workspace's time zone (what the Reports page reads: a
-- 30-day range is a few thousand rows). Rebuilt from report_hourly when the time zone changes.
CREATE TABLE report_daily (
  metric TEXT NOT NULL,
  day TEXT NOT NULL,
  channel TEXT NOT NULL,
  intent_id TEXT NOT NULL DEFAULT '',
  value INTEGER NOT NULL,
  PRIMARY KEY (metric, day, channel, intent_id)
);

-- One row per conversation the bot read: when it started, its first intent, and whether the bot
-- handled it alone (a bot answer and no hand-off within 24 h of the last one; kept up to date on write).
CREATE TABLE report_conversations (
  conversation_id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  intent_id TEXT NOT NULL DEFAULT '',
  started_at TEXT NOT NULL,
  last_answer_at TEXT,
  handed_off_at TEXT,
  handled_alone INTEGER NOT NULL DEFAULT 0
);
-- Covering indexes: the report reads a range of days without touching the rows.
CREATE INDEX report_conversations_started ON report_conversations(started_at, channel, handled_alone);

-- Per ticket: when the first agent reply came and who wrote it, when it was solved and by whom.
CREATE TABLE report_tickets (
  ticket_id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  intent_id TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  first_response_at TEXT,
  first_response_seconds REAL,
  first_response_agent_id TEXT,
  solved_at TEXT,
  resolution_seconds REAL,
  solved_by TEXT
);
CREATE INDEX report_tickets_created ON report_tickets(created_at, channel, intent_id, first_response_seconds, first_response_agent_id);
CREATE INDEX report_tickets_solved ON report_tickets(solved_at, channel, intent_id, resolution_seconds, solved_by);
CREATE INDEX report_tickets_responder ON report_tickets(first_response_agent_id, created_at, channel, intent_id, first_response_seconds);

-- The misses inbox: user messages the bot did not understand (a copy of the text: entries are deleted
-- after the retention setting, default 90 days). resolved_at: added to an intent or dismissed.
CREATE TABLE bot_misses (
  id TEXT PRIMARY KEY,
  message_id TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  language TEXT,
  text TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('fallback', 'unanswered_ask', 'asked_person')),
  created_at TEXT NOT NULL,
  resolved_at TEXT
);
CREATE INDEX bot_misses_created ON bot_misses(created_at);
`,
  },
  {
    version: 13,
    name: 'jobs claimed with leases; the login throttle in the database (several instances)',
    sql: `
-- A job an instance is working on: others leave it alone until the lease ends (then it was
-- abandoned, e.g. the instance died, and another takes it).
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE channel_media_jobs ADD COLUMN lease_until TEXT;
ALTER TABLE channel_media_jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE handoff_jobs ADD COLUMN lease_until TEXT;
ALTER TABLE handoff_jobs ADD COLUMN lease_owner TEXT;

-- Work only one instance does at a time (the inbox processor, which keeps each conversation in order).
CREATE TABLE job_leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  until TEXT NOT NULL
);

-- Failed sign-ins by account and by address (ms since the epoch): the throttle holds across instances.
CREATE TABLE login_failures (
  key TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);
`,
  },
  {
    version: 14,
    name: "a conversation's messages in insertion order, without a sort",
    sql: `
-- Every SQLite index ends in the rowid: this one lists a conversation's messages in insertion order,
-- so "its latest message" and "its latest bot kinds" (read for every inbound message) stop sorting
-- the whole conversation. PostgreSQL has messages(conversation_id, rowid) already.
CREATE INDEX messages_conversation_order ON messages(conversation_id);
`,
  },
  {
    version: 15,
    name: 'the Reports page reads its roll-ups and timings from covering indexes',
    sql: REPORT_INDEXES_SQL,
  },
  {
    version: 16,
    name: "messages: one conversation index, and the ticket index only over messages in a ticket",
    sql: `
-- messages_conversation (conversation_id, created_at) served no query once messages_conversation_order
-- (conversation_id, rowid) came (version 14): every read of a conversation's messages goes by rowid. It
-- only cost a page write per inbound message.
DROP INDEX messages_conversation;
-- Most messages are bot talk in no ticket: they leave the ticket index. Every query through it asks
-- for ticket_id = ?, which implies the index's WHERE, so SQLite still uses it. (ticket_id, rowid) as on
-- PostgreSQL: a ticket's messages and its latest one come in rowid order without a sort.
DROP INDEX messages_ticket;
CREATE INDEX messages_ticket ON messages(ticket_id) WHERE ticket_id IS NOT NULL;
`,
  },
];
