/**
 * PostgreSQL's schema, versioned apart from SQLite's (db/migrations.ts): version 1 is the whole
 * SQLite schema as of its version 13, written for PostgreSQL. A migration runs once, in a
 * transaction, in order; the applied versions are kept in `schema_migrations`. Never edit a
 * migration that has shipped: add one (and its SQLite twin).
 *
 * Differences from SQLite, each for a reason:
 * - `BIGSERIAL` ids where SQLite has INTEGER PRIMARY KEY / AUTOINCREMENT.
 * - `messages.rowid` and `push_subscriptions.rowid`: PostgreSQL has no implicit rowid; these play
 *   its part (insertion order) so queries stay the same on both.
 * - Case-insensitive uniqueness of agents' e-mails and intents' names: unique indexes on lower(...)
 *   (SQLite: COLLATE NOCASE); the repositories compare lower-cased values on both.
 * - `DOUBLE PRECISION` for the intent confidence (PostgreSQL's REAL is 4 bytes).
 * - Times stay ISO-8601 text, booleans 0/1 integers and JSON text, as on SQLite: the same rows read
 *   back the same, and `migrate-to-postgres` copies them as they are.
 */
import { REPORT_INDEXES_SQL } from '../reports/report-indexes.ts';

export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

export const postgresMigrations: PostgresMigration[] = [
  {
    version: 1,
    name: 'the schema of SQLite version 13',
    sql: `
CREATE TABLE agents (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
  active INTEGER NOT NULL DEFAULT 1,
  password_hash TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX agents_email ON agents (lower(email));

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
CREATE INDEX contacts_name ON contacts (lower(name));

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
  language TEXT,
  external_mode TEXT CHECK (external_mode IN ('zendesk', 'zendesk_messaging')),
  UNIQUE (channel, external_id)
);
CREATE INDEX conversations_contact ON conversations(contact_id);

CREATE TABLE intents (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  phrases TEXT NOT NULL,
  answers TEXT NOT NULL,
  desk TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX intents_name ON intents (lower(name));

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
  intent_confidence DOUBLE PRECISION,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  solved_at TEXT
);
CREATE INDEX tickets_status_updated ON tickets(status, updated_at);
CREATE INDEX tickets_assignee ON tickets(assignee_id, updated_at);
CREATE INDEX tickets_contact ON tickets(contact_id);
CREATE INDEX tickets_conversation ON tickets(conversation_id);

CREATE TABLE messages (
  rowid BIGSERIAL UNIQUE,
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
  quick_replies TEXT,
  bot_kind TEXT,
  UNIQUE (channel, channel_message_id)
);
CREATE INDEX messages_conversation ON messages(conversation_id, rowid);
CREATE INDEX messages_ticket ON messages(ticket_id, rowid);

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

CREATE TABLE change_log (
  seq BIGSERIAL PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('put', 'delete')),
  data TEXT,
  created_at TEXT NOT NULL,
  audience TEXT
);
CREATE INDEX change_log_entity ON change_log(entity, entity_id);

CREATE TABLE sync_clients (
  client_id TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  last_mutation_id BIGINT NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);

CREATE TABLE sync_mutations (
  client_id TEXT NOT NULL,
  mutation_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
  error TEXT,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (client_id, mutation_id)
);

CREATE TABLE outbox (
  id BIGSERIAL PRIMARY KEY,
  message_id TEXT NOT NULL UNIQUE REFERENCES messages(id),
  channel TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  conversation_id TEXT,
  lease_until TEXT,
  lease_owner TEXT
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_pending_conversation ON outbox(conversation_id, id) WHERE state = 'pending';

CREATE TABLE push_subscriptions (
  rowid BIGSERIAL UNIQUE,
  endpoint TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  created_at TEXT NOT NULL,
  lang TEXT NOT NULL DEFAULT 'en'
);

CREATE TABLE media (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  mime_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX media_conversation ON media(conversation_id);

CREATE TABLE channel_media_jobs (
  id BIGSERIAL PRIMARY KEY,
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
  lease_until TEXT,
  lease_owner TEXT,
  UNIQUE (message_id, position)
);
CREATE INDEX channel_media_jobs_due ON channel_media_jobs(state, next_attempt_at);

CREATE TABLE channel_peers (
  channel TEXT NOT NULL,
  external_id TEXT NOT NULL,
  details TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (channel, external_id)
);

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
  group_id BIGINT,
  transcript TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  requester_id BIGINT,
  zendesk_ticket_id BIGINT,
  sunshine_conversation_id TEXT,
  transcript_posted INTEGER NOT NULL DEFAULT 0,
  first_message_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX external_handoffs_open ON external_handoffs(conversation_id) WHERE state = 'open';
CREATE INDEX external_handoffs_ticket ON external_handoffs(zendesk_ticket_id);
CREATE INDEX external_handoffs_sunshine ON external_handoffs(sunshine_conversation_id);

CREATE TABLE handoff_jobs (
  id BIGSERIAL PRIMARY KEY,
  handoff_id TEXT NOT NULL REFERENCES external_handoffs(id),
  kind TEXT NOT NULL CHECK (kind IN ('open', 'forward', 'sync')),
  lane TEXT NOT NULL CHECK (lane IN ('outbound', 'inbound')),
  message_id TEXT,
  state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  lease_until TEXT,
  lease_owner TEXT
);
CREATE INDEX handoff_jobs_pending ON handoff_jobs(handoff_id, lane, id) WHERE state = 'pending';

CREATE TABLE zendesk_ticket_updates (
  ticket_id BIGINT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX zendesk_ticket_updates_ticket ON zendesk_ticket_updates(ticket_id, at);

CREATE TABLE handoff_relayed (
  handoff_id TEXT NOT NULL REFERENCES external_handoffs(id),
  remote_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  PRIMARY KEY (handoff_id, remote_id)
);

CREATE TABLE inbox (
  id BIGSERIAL PRIMARY KEY,
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

CREATE TABLE webchat_visitors (
  id TEXT PRIMARY KEY,
  token_hash TEXT UNIQUE,
  created_at TEXT NOT NULL,
  token_issued_at TEXT
);

CREATE TABLE upload_ledger (
  address TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX upload_ledger_address ON upload_ledger(address, created_at);

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

CREATE TABLE canned_replies (
  id TEXT PRIMARY KEY,
  owner_id TEXT REFERENCES agents(id) ON DELETE CASCADE,
  shortcut TEXT NOT NULL,
  title TEXT NOT NULL,
  texts TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX canned_replies_owner ON canned_replies(owner_id);

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
  first_response_seconds DOUBLE PRECISION,
  first_response_agent_id TEXT,
  solved_at TEXT,
  resolution_seconds DOUBLE PRECISION,
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

CREATE TABLE job_leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  until TEXT NOT NULL
);

CREATE TABLE login_failures (
  key TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);
`,
  },
  {
    version: 2,
    name: 'the Reports page reads its roll-ups and timings from covering indexes (SQLite version 15)',
    sql: REPORT_INDEXES_SQL,
  },
  {
    version: 3,
    name: 'the ticket index of messages only over messages in a ticket (SQLite version 16)',
    sql: `
-- Most messages are bot talk in no ticket: they leave the index. Every query through it asks for
-- ticket_id = $1, which implies the index's WHERE. (SQLite version 16 also drops a conversation
-- index that duplicated another; here messages_conversation (conversation_id, rowid) is the only one.)
DROP INDEX messages_ticket;
CREATE INDEX messages_ticket ON messages(ticket_id, rowid) WHERE ticket_id IS NOT NULL;
`,
  },
];
