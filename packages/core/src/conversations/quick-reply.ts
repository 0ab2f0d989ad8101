import { z } from 'zod';

/**
 * A choice the bot offers with a message ("Did you mean…?"): shown as a button where the
 * channel has them, as a numbered line elsewhere. `value` is what the choice means to the bot
 * (`intent:<id>`, `person:yes`, `person:no`); `label` is what the user sees and, once chosen,
 * what the conversation shows them as having said.
 */
export const QuickReply = z.object({
  label: z.string().min(1).max(80),
  value: z.string().min(1).max(64),
});
export type QuickReply = z.infer<typeof QuickReply>;

/** The message as text for channels without buttons: the question, then one numbered line per choice. */
export function withNumberedChoices(text: string, choices: readonly QuickReply[]): string {
  return [text, ...choices.map((choice, i) => `${i + 1}. ${choice.label}`)].join('\n');
}

const fold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * Which offered choice a reply picks, if any: its value (a button's payload), its number
 * ("2", "2."), or its label typed out. A reply that is none of these is an ordinary message.
 */
export function chosenReply(reply: string, choices: readonly QuickReply[]): QuickReply | null {
  const byValue = choices.find((choice) => choice.value === reply);
  if (byValue) return byValue;
  const number = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(reply);
  if (number) return choices[Number(number[1]) - 1] ?? null;
  const typed = fold(reply);
  if (typed === '') return null;
  // WhatsApp cuts a button's title to 20 characters, and sends back the cut title.
  return choices.find((choice) => fold(choice.label) === typed || fold(choice.label.slice(0, 20)) === typed) ?? null;
}
