import type { BotTurn } from '../conversations/bot/dialogue.ts';
import type { TurnKind } from './report-recorder.ts';

/** How a bot turn counts in the reports (a fallback that offered a person is an offer). */
export function turnKindOf(turn: BotTurn): TurnKind {
  switch (turn.kind) {
    case 'answer':
      return 'answer';
    case 'ask':
      return 'ask';
    case 'fallback':
      return turn.offerPerson ? 'offer' : 'fallback';
    case 'accept-person':
      return 'accept_person';
    case 'decline-person':
      return 'decline_person';
    default: {
      const unknown: never = turn;
      throw new Error(`Unknown bot turn ${JSON.stringify(unknown)}`);
    }
  }
}
