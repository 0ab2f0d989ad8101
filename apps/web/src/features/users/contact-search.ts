import type { Channel, Contact } from '@desk/core';

/** The users list's search, pure (unit-tested): name, e-mail or phone, ignoring case and accents. */
export interface ContactSearch {
  text: string;
  /** The digits typed, for phone matching ("11 91234" matches +5511912345678). */
  digits: string;
}

export function fold(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Null for a blank query (the whole list). */
export function contactSearchOf(query: string): ContactSearch | null {
  const text = fold(query.trim());
  if (!text) return null;
  return { text, digits: text.replace(/\D/g, '') };
}

export function contactMatches(contact: Contact, search: ContactSearch): boolean {
  if (fold(contact.name).includes(search.text)) return true;
  if (contact.email?.toLowerCase().includes(search.text)) return true;
  // Digits only match phones when the query is mostly a number ("+55 11", "91234-5678").
  const phoneLike = search.digits.length >= 3 && search.digits.length >= search.text.replace(/[\s()+\-.]/g, '').length;
  return phoneLike && (contact.phone?.includes(search.digits) ?? false);
}

/** The channels a user has written from, each once. */
export function channelsOf(contact: Contact): Channel[] {
  return [...new Set(contact.identities.map((identity) => identity.channel))];
}
