import { z } from 'zod';
import { MESSAGE_TEXT_MAX } from '../conversations/message.ts';

/**
 * Canned replies: a shortcut, a title and a text per language, with placeholders filled when an
 * agent inserts one. Shared ones (ownerId null) are managed by admins; any agent may keep personal
 * ones (ownerId = the agent), which sync to that agent only.
 */

export const CANNED_LANGUAGES = ['pt-BR', 'es', 'en'] as const;
export const CannedLanguage = z.enum(CANNED_LANGUAGES);
export type CannedLanguage = z.infer<typeof CannedLanguage>;

export const CANNED_PLACEHOLDERS = ['{{user.name}}', '{{user.first_name}}', '{{agent.name}}', '{{ticket.number}}'] as const;

const text = z.string().trim().max(MESSAGE_TEXT_MAX);

export const CannedReplyInput = z.object({
  shortcut: z
    .string()
    .trim()
    .min(1, 'Give it a shortcut.')
    .max(30)
    .regex(/^[\p{L}\p{N}_-]+$/u, 'Letters, digits, "-" and "_" only.'),
  title: z.string().trim().min(1, 'Give it a title.').max(120),
  texts: z
    .object({ 'pt-BR': text, es: text, en: text })
    .refine((texts) => CANNED_LANGUAGES.some((lang) => texts[lang] !== ''), { message: 'Write the text in at least one language.' }),
});
export type CannedReplyInput = z.infer<typeof CannedReplyInput>;

export const CannedReply = CannedReplyInput.extend({
  id: z.string(),
  /** null: shared by the whole team (admins manage it); otherwise the agent who keeps it. */
  ownerId: z.string().nullable(),
  updatedAt: z.string(),
});
export type CannedReply = z.infer<typeof CannedReply>;

/** The language a conversation is in, as the bot detected it ('pt', 'es', 'en'), in canned-reply terms. */
export function cannedLanguageOf(conversationLanguage: string | null | undefined): CannedLanguage | null {
  if (!conversationLanguage) return null;
  const lang = conversationLanguage.toLowerCase();
  if (lang.startsWith('pt')) return 'pt-BR';
  if (lang.startsWith('es')) return 'es';
  if (lang.startsWith('en')) return 'en';
  return null;
}

/** The text to insert: the conversation's language first, then the agent's, then any written one. */
export function cannedText(reply: Pick<CannedReply, 'texts'>, language: CannedLanguage | null, fallback: CannedLanguage): string {
  const order = [language, fallback, ...CANNED_LANGUAGES].filter((l): l is CannedLanguage => l !== null);
  for (const lang of order) if (reply.texts[lang]) return reply.texts[lang];
  return '';
}

export interface PlaceholderValues {
  userName: string;
  agentName: string;
  ticketNumber: number;
}

/** Fills the placeholders; unknown ones stay as written so the agent sees them before sending. */
export function fillPlaceholders(template: string, values: PlaceholderValues): string {
  const firstName = values.userName.trim().split(/\s+/)[0] ?? '';
  const table: Record<string, string> = {
    'user.name': values.userName,
    'user.first_name': firstName,
    'agent.name': values.agentName,
    'ticket.number': String(values.ticketNumber),
  };
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, key: string) => table[key] ?? whole);
}

const fold = (value: string) =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();

/** The replies matching what the agent typed after `/`: shortcut prefix first, then title or shortcut containing it. */
export function matchCannedReplies<R extends Pick<CannedReply, 'shortcut' | 'title'>>(replies: readonly R[], query: string): R[] {
  const q = fold(query.trim());
  const scored = replies
    .map((reply) => {
      const shortcut = fold(reply.shortcut);
      const title = fold(reply.title);
      const rank = q === '' ? 1 : shortcut.startsWith(q) ? 0 : shortcut.includes(q) || title.includes(q) ? 1 : -1;
      return { reply, rank };
    })
    .filter((entry) => entry.rank >= 0);
  return scored.sort((a, b) => a.rank - b.rank || a.reply.shortcut.localeCompare(b.reply.shortcut)).map((entry) => entry.reply);
}
