import type { Generated } from 'kysely';

/**
 * Every table as the query builder sees it, the same on SQLite and PostgreSQL. Times are ISO-8601
 * text, booleans are 0/1 integers and JSON is text on both, so a row reads back the same from
 * either. `rowid` is SQLite's implicit insertion order; the PostgreSQL schema gives `messages`
 * and `push_subscriptions` a `rowid` column (bigserial) that plays the same part.
 */
export interface DB {
  agents: AgentsTable;
  sessions: SessionsTable;
  password_tokens: PasswordTokensTable;
  contacts: ContactsTable;
  contact_identities: ContactIdentitiesTable;
  conversations: ConversationsTable;
  intents: IntentsTable;
  tickets: TicketsTable;
  messages: MessagesTable;
  ticket_reads: TicketReadsTable;
  settings: SettingsTable;
  change_log: ChangeLogTable;
  sync_clients: SyncClientsTable;
  sync_mutations: SyncMutationsTable;
  outbox: OutboxTable;
  push_subscriptions: PushSubscriptionsTable;
  media: MediaTable;
  channel_media_jobs: ChannelMediaJobsTable;
  channel_peers: ChannelPeersTable;
  external_handoffs: ExternalHandoffsTable;
  handoff_jobs: HandoffJobsTable;
  zendesk_ticket_updates: ZendeskTicketUpdatesTable;
  handoff_relayed: HandoffRelayedTable;
  inbox: InboxTable;
  webchat_visitors: WebchatVisitorsTable;
  upload_ledger: UploadLedgerTable;
  notes: NotesTable;
  canned_replies: CannedRepliesTable;
  bot_turns: BotTurnsTable;
  report_hourly: ReportCountersTable & { hour: string };
  report_daily: ReportCountersTable & { day: string };
  report_conversations: ReportConversationsTable;
  report_tickets: ReportTicketsTable;
  bot_misses: BotMissesTable;
  job_leases: JobLeasesTable;
  login_failures: LoginFailuresTable;
}

/** A job row an instance has claimed until `lease_until` (outbox, media downloads, Zendesk calls). */
interface Leased {
  lease_until: string | null;
  lease_owner: string | null;
}

export interface AgentsTable {
  id: string;
  name: string;
  email: string;
  role: 'agent' | 'admin';
  active: number;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  token_hash: string;
  agent_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface PasswordTokensTable {
  token_hash: string;
  agent_id: string;
  expires_at: string;
  used_at: string | null;
}

export interface ContactsTable {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  designated_agent_id: string | null;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ContactIdentitiesTable {
  channel: string;
  external_id: string;
  contact_id: string;
}

export interface ConversationsTable {
  id: string;
  contact_id: string;
  channel: string;
  external_id: string;
  mode: 'bot' | 'desk';
  external_mode: 'zendesk' | 'zendesk_messaging' | null;
  active_ticket_id: string | null;
  language: string | null;
  created_at: string;
  updated_at: string;
}

export interface IntentsTable {
  id: string;
  name: string;
  phrases: string;
  answers: string;
  desk: string;
  created_at: string;
  updated_at: string;
}

export interface TicketsTable {
  id: string;
  number: number;
  subject: string;
  status: 'new' | 'open' | 'pending' | 'on-hold' | 'solved';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  tags: string;
  assignee_id: string | null;
  contact_id: string;
  channel: string;
  conversation_id: string;
  intent_id: string | null;
  intent_confidence: number | null;
  created_at: string;
  updated_at: string;
  solved_at: string | null;
}

export interface MessagesTable {
  /** SQLite's implicit rowid; a bigserial column on PostgreSQL. Never written. */
  rowid: Generated<number>;
  id: string;
  conversation_id: string;
  ticket_id: string | null;
  author_kind: 'user' | 'bot' | 'agent' | 'system';
  agent_id: string | null;
  text: string;
  attachments: string;
  channel: string;
  channel_message_id: string | null;
  delivery: string | null;
  created_at: string;
  quick_replies: string | null;
  bot_kind: string | null;
}

export interface TicketReadsTable {
  ticket_id: string;
  agent_id: string;
  read_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface ChangeLogTable {
  seq: Generated<number>;
  entity: string;
  entity_id: string;
  op: 'put' | 'delete';
  data: string | null;
  created_at: string;
  audience: string | null;
}

export interface SyncClientsTable {
  client_id: string;
  agent_id: string;
  last_mutation_id: number;
  updated_at: string;
}

export interface SyncMutationsTable {
  client_id: string;
  mutation_id: number;
  name: string;
  status: 'applied' | 'rejected';
  error: string | null;
  applied_at: string;
}

export interface OutboxTable extends Leased {
  id: Generated<number>;
  message_id: string;
  channel: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  conversation_id: string | null;
}

export interface PushSubscriptionsTable {
  rowid: Generated<number>;
  endpoint: string;
  agent_id: string;
  p256dh: string;
  auth: string;
  created_at: string;
  lang: Generated<string>;
}

export interface MediaTable {
  id: string;
  conversation_id: string;
  mime_type: string;
  size: number;
  name: string;
  created_at: string;
}

export interface ChannelMediaJobsTable extends Leased {
  id: Generated<number>;
  message_id: string;
  position: number;
  media_id: string;
  channel: string;
  source: string;
  state: 'pending' | 'stored' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ChannelPeersTable {
  channel: string;
  external_id: string;
  details: string;
  updated_at: string;
}

export interface ExternalHandoffsTable {
  id: string;
  conversation_id: string;
  destination: 'zendesk_support' | 'zendesk_messaging';
  state: 'open' | 'closed';
  intent_id: string | null;
  subject: string;
  tags: string;
  status: string;
  priority: string;
  group_id: number | null;
  transcript: string;
  idempotency_key: string;
  requester_id: number | null;
  zendesk_ticket_id: number | null;
  sunshine_conversation_id: string | null;
  transcript_posted: Generated<number>;
  first_message_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface HandoffJobsTable extends Leased {
  id: Generated<number>;
  handoff_id: string;
  kind: 'open' | 'forward' | 'sync';
  lane: 'outbound' | 'inbound';
  message_id: string | null;
  state: 'pending' | 'done' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ZendeskTicketUpdatesTable {
  ticket_id: number;
  at: string;
}

export interface HandoffRelayedTable {
  handoff_id: string;
  remote_id: string;
  message_id: string;
}

export interface InboxTable {
  id: Generated<number>;
  source: string;
  event_id: string;
  payload: string;
  state: Generated<'pending' | 'done' | 'set_aside'>;
  attempts: Generated<number>;
  error: string | null;
  received_at: string;
  processed_at: string | null;
}

export interface WebchatVisitorsTable {
  id: string;
  token_hash: string | null;
  created_at: string;
  token_issued_at: string | null;
}

export interface UploadLedgerTable {
  address: string;
  bytes: number;
  created_at: string;
}

/** Work one instance does at a time (the inbox processor), held until `until`. */
export interface JobLeasesTable {
  name: string;
  owner: string;
  until: string;
}

/** Failed sign-ins (`account:<email>` or `address:<ip>`), ms since the epoch. */
export interface LoginFailuresTable {
  key: string;
  at: number;
}

/** Internal notes between agents (never on a user's path); synced as messages with authorKind 'note'. */
export interface NotesTable {
  id: string;
  ticket_id: string;
  conversation_id: string;
  agent_id: string;
  text: string;
  mentions: string;
  created_at: string;
}

/** Canned replies: `owner_id` null = shared, else that agent's own; `texts` is JSON per language. */
export interface CannedRepliesTable {
  id: string;
  owner_id: string | null;
  shortcut: string;
  title: string;
  texts: string;
  updated_at: string;
}

/** Reports (reports/): what the bot did with each user message. */
export interface BotTurnsTable {
  message_id: string;
  conversation_id: string;
  channel: string;
  language: string | null;
  kind: string;
  intent_id: string | null;
  chosen: number;
  hand_off: string | null;
  created_at: string;
}

/** Report counters per hour (`hour`) or local day (`day`), metric, channel and intent. */
export interface ReportCountersTable {
  metric: string;
  channel: string;
  intent_id: string;
  value: number;
}

export interface ReportConversationsTable {
  conversation_id: string;
  channel: string;
  intent_id: string;
  started_at: string;
  last_answer_at: string | null;
  handed_off_at: string | null;
  handled_alone: number;
}

export interface ReportTicketsTable {
  ticket_id: string;
  channel: string;
  intent_id: string;
  created_at: string;
  first_response_at: string | null;
  first_response_seconds: number | null;
  first_response_agent_id: string | null;
  solved_at: string | null;
  resolution_seconds: number | null;
  solved_by: string | null;
}

/** The misses inbox: user messages the bot did not understand. */
export interface BotMissesTable {
  id: string;
  message_id: string;
  conversation_id: string;
  channel: string;
  language: string | null;
  text: string;
  reason: 'fallback' | 'unanswered_ask' | 'asked_person';
  created_at: string;
  resolved_at: string | null;
}
