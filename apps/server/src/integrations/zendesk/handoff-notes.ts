import type { BotLanguage } from '../../conversations/bot/languages.ts';

/** System notes of external hand-offs, in the conversation's language (the web chat visitor sees them too). */
export const handOffNotes = {
  zendeskTicket: (id: number, url: string, language: BotLanguage) =>
    ({
      pt: `Conversa enviada ao Zendesk: ticket #${id} ${url}`,
      es: `Conversación enviada a Zendesk: ticket #${id} ${url}`,
      en: `Conversation handed to Zendesk: ticket #${id} ${url}`,
    })[language],
  zendeskSolved: (id: number, language: BotLanguage) =>
    ({
      pt: `Ticket #${id} resolvido no Zendesk. O bot volta a atender.`,
      es: `Ticket #${id} resuelto en Zendesk. El bot vuelve a atender.`,
      en: `Zendesk ticket #${id} was solved. The bot answers again.`,
    })[language],
  messagingPassed: (language: BotLanguage) =>
    ({
      pt: 'Conversa enviada a um agente do Zendesk.',
      es: 'Conversación enviada a un agente de Zendesk.',
      en: 'Conversation handed to a Zendesk agent.',
    })[language],
  messagingReleased: (language: BotLanguage) =>
    ({
      pt: 'O agente do Zendesk encerrou o atendimento. O bot volta a atender.',
      es: 'El agente de Zendesk cerró la atención. El bot vuelve a atender.',
      en: 'The Zendesk agent closed the conversation. The bot answers again.',
    })[language],
  failed: (reason: string, language: BotLanguage) =>
    ({
      pt: `Não foi possível enviar a conversa ao Zendesk (${reason}). O bot volta a atender.`,
      es: `No se pudo enviar la conversación a Zendesk (${reason}). El bot vuelve a atender.`,
      en: `The conversation could not be handed to Zendesk (${reason}). The bot answers again.`,
    })[language],
};
