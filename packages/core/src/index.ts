export { Agent, AgentInput, AgentPatch, LoginInput, Password, PASSWORD_MIN, ROLES, Role, SetPasswordInput } from './accounts/agent.ts';
export { can, NAV_ITEMS, type NavItemId, navItemsFor, PERMISSIONS, type Permission } from './accounts/permissions.ts';
export { ErrorBodySchema, fieldErrorsOf } from './api/error-body.ts';
export { Contact, ContactInput, ContactPatch, PhoneInput } from './contacts/contact.ts';
export { formatPhone, internationalFromDigits, normalizePhone, type PhoneCheck, phoneMessages } from './contacts/phone.ts';
export { Channel, CHANNELS, ChannelIdentity } from './conversations/channel.ts';
export { Conversation, CONVERSATION_MODES, ConversationMode } from './conversations/conversation.ts';
export {
  ATTACHMENT_KINDS,
  Attachment,
  AttachmentKind,
  attachmentKindOf,
  AUTHOR_KINDS,
  AuthorKind,
  DELIVERY_STATES,
  Delivery,
  DeliveryState,
  Message,
  MESSAGE_TEXT_MAX,
} from './conversations/message.ts';
export { WebchatMessage } from './conversations/webchat-message.ts';
export { chosenReply, QuickReply, withNumberedChoices } from './conversations/quick-reply.ts';
export { DeskError, ErrorCode, type ErrorBody, exhaustiveSwitchError, type FieldErrors, httpStatusOf } from './errors.ts';
export { DEFAULT_OFFER_PERSON, DeskIntegration, DeskIntegrationInput, OfferPerson, type OfferPersonInput, ticketSubject } from './integrations/desk-integration.ts';
export { DEFAULT_INTENT_DESK, Intent, IntentDesk, IntentInput, IntentPatch, intentDeskOf, intentDestination } from './intents/intent.ts';
export {
  ConfusedIntentsWarning,
  FewPhrasesWarning,
  IntentLanguage,
  IntentWarning,
  IntentWarnings,
  MIN_PHRASES_PER_LANGUAGE,
} from './intents/intent-warnings.ts';
export {
  type ConnectedIntegrations,
  type DestinationChoice,
  effectiveDestination,
  type ExternalDestination,
  HANDOFF_DESTINATIONS,
  HandOffDestination,
} from './integrations/handoff-destination.ts';
export {
  DEFAULT_SWITCHBOARD_INTEGRATION,
  ZENDESK_API_TOKEN_SUNSET,
  ZENDESK_HANDOFF_TAG,
  ZENDESK_INTEGRATIONS,
  ZENDESK_PRIORITIES,
  ZENDESK_STATUSES,
  ZENDESK_UPDATE_WINDOW_MS,
  ZENDESK_UPDATES_PER_TICKET,
  ZendeskCardInput,
  ZendeskFieldView,
  ZendeskHandOffView,
  ZendeskIntegrationId,
  ZendeskIntegrationView,
  type ZendeskPriority,
  type ZendeskStatus,
  zendeskPriorityOf,
  zendeskStatusEndsHandOff,
  zendeskStatusOf,
} from './integrations/zendesk.ts';
export { MUTATION_NAMES, MutationArgs, type MutationArgsOf, type MutationName, PushedMutation, PushRequest } from './sync/mutations.ts';
export { evictionCutoff, isEvictable, LOCAL_DAYS_DEFAULT } from './sync/eviction.ts';
export { reachesAgents } from './sync/message-reach.ts';
export {
  createdContact,
  MUTATIONS,
  type MutationContext,
  type MutationDefinition,
  type MutationOutcome,
  patchedContact,
  replyMessage,
  type RowReader,
  type RowWrite,
  type SyncKey,
} from './sync/mutation-registry.ts';
export {
  applyMutation,
  applyTicketMutation,
  checkAgentReply,
  dispatchMutation,
  isTicketFieldMutation,
  MUTATION_PERMISSIONS,
  mayRun,
  type Mutation,
  type MutationHandlers,
  type MutationOf,
  mutationErrorOf,
  mutationReads,
  mutationWrites,
  type Parsed,
  parseMutation,
  ruleError,
  TICKET_FIELD_MUTATIONS,
  type TicketFieldMutation,
  type TicketFieldName,
  ticketChangeOf,
  ticketIdOf,
} from './sync/mutators.ts';
export {
  EPOCH_HEADER,
  MutationError,
  MutationResult,
  PullQuery,
  PullResponse,
  PushResponse,
  SNAPSHOT_PARTS,
  SnapshotQuery,
  SnapshotResponse,
  StreamPoke,
  StreamQuery,
  SYNC_ENTITIES,
  SyncChange,
  SyncEntity,
  TicketRead,
  ticketReadId,
} from './sync/protocol.ts';
export { type TicketFilter, TicketListQuery } from './tickets/filters.ts';
export { DEFAULT_PRIORITY, priorityRank, TICKET_PRIORITIES, TicketPriority } from './tickets/priority.ts';
export {
  addTag,
  allowedStatuses,
  applyTicketChange,
  type ChangeResult,
  checkReply,
  checkStatusChange,
  checkTag,
  normalizeTag,
  type RuleBroken,
  type RuleCheck,
  removeTag,
  ruleMessages,
  statusAfterAssignment,
  type TicketChange,
  TicketRule,
  type TicketState,
} from './tickets/rules.ts';
export {
  INTENT_TICKET_STATUSES,
  IntentTicketStatus,
  isActiveStatus,
  statusRank,
  TICKET_STATUSES,
  TicketStatus,
} from './tickets/status.ts';
export { Ticket, ticketLabel, TicketPatch } from './tickets/ticket.ts';
export { NOTIFICATION_LANGUAGES, PushSubscriptionInput } from './notifications/push-subscription.ts';
export { validateWithoutEval } from './api/strict-csp.ts';
export {
  AgentRow,
  BACKLOG_STATUSES,
  BacklogRow,
  BotFigures,
  datesOf,
  daysBetween,
  DEFAULT_MISSES_RETENTION_DAYS,
  DurationFigures,
  HAND_OFF_DESTINATIONS_REPORTED,
  IntentHandOffRow,
  isTimeZone,
  percentiles,
  rangeDates,
  Report,
  REPORT_MAX_DAYS,
  REPORT_RANGES,
  ReportQuery,
  ReportRange,
  ReportSettings,
  TeamFigures,
  VolumeRow,
} from './reports/report.ts';
export { MISS_REASONS, MissAction, MissActionResult, MissConversation, MissEntry, MissGroup, MissGroups, MissReason } from './reports/misses.ts';
export { mentionedAgents, noteMessage, visibleToEndUser } from './team/notes.ts';
export { collidingReplies, REPLY_COLLISION_MESSAGE, REPLY_COLLISION_RULE, replySeenAt } from './team/collision.ts';
export {
  CANNED_LANGUAGES,
  CANNED_PLACEHOLDERS,
  CannedLanguage,
  cannedLanguageOf,
  CannedReply,
  CannedReplyInput,
  cannedText,
  fillPlaceholders,
  matchCannedReplies,
  type PlaceholderValues,
} from './team/canned-reply.ts';
export {
  HEARTBEAT_MS,
  initialsOf,
  PresenceBeat,
  PresenceEntry,
  PresenceEvent,
  PresenceSchedule,
  TYPING_REFRESH_MS,
  TYPING_TTL_MS,
  VIEWING_TTL_MS,
} from './team/presence.ts';
export { timeOfId, timeOrderedId } from './ids/time-ordered-id.ts';
