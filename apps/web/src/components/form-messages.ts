import type { MessageKey } from '../i18n/en.ts';

/**
 * Form messages, pure (unit-tested). Shared zod schemas word their issues in English; the PWA
 * shows them in the agent's language by mapping each issue's kind to a dictionary key. What it
 * can't map (a server's own wording) is shown as text.
 */
export type FieldMessage = { key: MessageKey; params?: Record<string, string | number> } | { text: string };
export type FieldMessages = Record<string, FieldMessage>;

/** The parts of a zod issue this module reads (zod itself is core's dependency, not the PWA's). */
export interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  format?: string;
  params?: Record<string, unknown>;
}

export function messageOfIssue(issue: IssueLike): FieldMessage {
  const reason = issue.params?.reason;
  if (issue.code === 'custom' && reason === 'missing_country_code') return { key: 'form.phoneCountryCode' };
  if (issue.code === 'custom' && reason === 'invalid') return { key: 'form.phoneInvalid' };
  if (issue.code === 'too_small') {
    const min = Number(issue.minimum ?? 1);
    if (issue.origin === 'array') return { key: 'form.atLeastOne' };
    return min <= 1 ? { key: 'form.required' } : { key: 'form.minChars', params: { min } };
  }
  if (issue.code === 'too_big') {
    const max = Number(issue.maximum ?? 0);
    return issue.origin === 'array' ? { key: 'form.tooMany', params: { max } } : { key: 'form.tooLong', params: { max } };
  }
  if (issue.code === 'invalid_format' && issue.format === 'email') return { key: 'form.emailInvalid' };
  if (issue.code === 'invalid_format' && issue.format === 'regex') return { key: 'form.formatInvalid' };
  return { text: issue.message };
}

/** One message per field path ("phone", "phrases.2", "desk.agentId"), the first issue winning. */
export function fieldMessagesOf(issues: readonly IssueLike[]): FieldMessages {
  const fields: FieldMessages = {};
  for (const issue of issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '_';
    if (!(key in fields)) fields[key] = messageOfIssue(issue);
  }
  return fields;
}

/** A server's field errors (already worded), as messages. */
export function serverFieldMessages(fields: Record<string, string>): FieldMessages {
  return Object.fromEntries(Object.entries(fields).map(([key, text]) => [key, { text }]));
}

/**
 * The messages to show: every server message, and local ones for fields the user has touched
 * (all of them once a save was attempted). A server message stands until the field changes.
 */
export function visibleMessages(local: FieldMessages, server: FieldMessages, touched: ReadonlySet<string>, submitted: boolean): FieldMessages {
  const shown: FieldMessages = {};
  for (const [key, message] of Object.entries(local)) {
    if (submitted || touched.has(key) || touched.has(key.split('.')[0] ?? key)) shown[key] = message;
  }
  return { ...shown, ...server };
}

/** The messages of a schema's `safeParse` result (none when it passed). */
export function parseMessages(result: { success: true } | { success: false; error: { issues: readonly IssueLike[] } }): FieldMessages {
  return result.success ? {} : fieldMessagesOf(result.error.issues);
}
