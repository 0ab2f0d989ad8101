import { chosenReply, type QuickReply } from '@desk/core';
import type { BotReading } from './nlu.ts';

/** What a bot message was, kept with it: the next turns depend on it (choices offered, misses in a row). */
export const BOT_KINDS = ['answer', 'ask', 'fallback', 'offer', 'declined', 'cancelled'] as const;
export type BotKind = (typeof BOT_KINDS)[number];

export const PERSON_YES = 'person:yes';
export const PERSON_NO = 'person:no';
export const intentChoice = (intentId: string) => `intent:${intentId}`;

/** The bot's message the user is answering, when it offered choices. */
export interface PendingChoices {
  kind: BotKind;
  choices: readonly QuickReply[];
}

export interface TurnInput {
  /** What the user wrote, or the label of the button they pressed. */
  text: string;
  /** A pressed button's payload, when the platform tells it apart from the text. */
  choice?: string | null;
  reading: BotReading;
  pending: PendingChoices | null;
  /** How many of the bot's last messages in a row were fallbacks (or offers of a person). */
  missesBefore: number;
  offerPerson: { enabled: boolean; afterMisses: number };
}

export type BotTurn =
  /** Answer with the intent (and hand off if the intent says so). */
  | { kind: 'answer'; intentId: string; confidence: number; chosen: QuickReply | null }
  /** Two intents are close: ask which one, offering both. */
  | { kind: 'ask'; choices: QuickReply[] }
  /** Not understood; after enough misses in a row, offer a person. */
  | { kind: 'fallback'; offerPerson: boolean }
  | { kind: 'accept-person'; chosen: QuickReply }
  | { kind: 'decline-person'; chosen: QuickReply };

/**
 * The bot's next move, from how it read the message and what it asked before. Pure: the engine
 * stores and sends what this decides. A pressed button (or its number, or its label typed out)
 * answers the bot's last question like a typed message would, without reading it again.
 */
export function planTurn(input: TurnInput): BotTurn {
  if (input.pending && input.pending.choices.length > 0) {
    const chosen = chosenReply(input.choice ?? input.text, input.pending.choices);
    if (chosen?.value === PERSON_YES) return { kind: 'accept-person', chosen };
    if (chosen?.value === PERSON_NO) return { kind: 'decline-person', chosen };
    if (chosen?.value.startsWith('intent:')) return { kind: 'answer', intentId: chosen.value.slice('intent:'.length), confidence: 1, chosen };
  }
  const { reading } = input;
  if (reading.ask) {
    return { kind: 'ask', choices: reading.ask.map((option) => ({ label: option.intent.name.slice(0, 80), value: intentChoice(option.intent.id) })) };
  }
  if (reading.intent) return { kind: 'answer', intentId: reading.intent.id, confidence: reading.confidence, chosen: null };
  const { enabled, afterMisses } = input.offerPerson;
  return { kind: 'fallback', offerPerson: enabled && input.missesBefore + 1 >= afterMisses };
}

/** How many bot messages in a row, most recent first, were misses. */
export function missesInARow(recentBotKinds: readonly (BotKind | null)[]): number {
  let misses = 0;
  for (const kind of recentBotKinds) {
    if (kind !== 'fallback' && kind !== 'offer') break;
    misses += 1;
  }
  return misses;
}
