/**
 * PostgreSQL's schema, versioned apart from SQLite's (db/migrations.ts): version 1 is the whole
 * SQLite schema as of its version 12, written for PostgreSQL. A migration runs once, in a
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
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

export const postgresMigrations: PostgresMigration[] = [
  {
    version: 1,
    name: 'the schema of SQLite version 12',
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
];
