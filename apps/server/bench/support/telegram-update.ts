/** A private chat's text message as Telegram's Bot API posts it to a webhook: the benchmarks' load. */
export interface TelegramTextMessage {
  updateId: number;
  /** Defaults to the update id. */
  messageId?: number;
  /** The user's id, which is also their private chat's id. */
  chatId: number;
  firstName: string;
  lastName?: string;
  languageCode?: string;
  /** Unix seconds. */
  date?: number;
  text: string;
}

export function telegramTextUpdate(message: TelegramTextMessage): string {
  const names = { first_name: message.firstName, ...(message.lastName === undefined ? {} : { last_name: message.lastName }) };
  return JSON.stringify({
    update_id: message.updateId,
    message: {
      message_id: message.messageId ?? message.updateId,
      from: { id: message.chatId, is_bot: false, ...names, ...(message.languageCode === undefined ? {} : { language_code: message.languageCode }) },
      chat: { id: message.chatId, ...names, type: 'private' },
      date: message.date ?? 1_700_000_000,
      text: message.text,
    },
  });
}
