import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type PhoneCheck =
  | { ok: true; e164: string }
  | { ok: false; reason: 'missing_country_code' | 'invalid'; message: string };

export const phoneMessages = {
  missing_country_code: 'Add the country code, starting with + (for example +55 11 91234-5678).',
  invalid: 'This is not a valid phone number.',
} as const;

/**
 * Accepts only numbers written with their international prefix and returns them as E.164.
 * "+55 11 91234-5678" → "+5511912345678"; "11 91234-5678" is refused: we never guess the country.
 */
export function normalizePhone(input: string): PhoneCheck {
  const trimmed = input.trim();
  const international = trimmed.startsWith('+') || trimmed.startsWith('00');
  if (!international) return { ok: false, reason: 'missing_country_code', message: phoneMessages.missing_country_code };
  const candidate = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(candidate);
  if (!parsed?.isValid()) return { ok: false, reason: 'invalid', message: phoneMessages.invalid };
  return { ok: true, e164: parsed.number };
}

/**
 * For channels that send digits without "+" (WhatsApp `wa_id`): the number in international form,
 * not yet checked. `normalizePhone` checks it where it is kept (a new contact), not on every message.
 */
export function internationalFromDigits(digits: string): string {
  return `+${digits.replace(/\D/g, '')}`;
}

/** Human format for display, e.g. +55 11 91234 5678. */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? parsed.formatInternational() : e164;
}
