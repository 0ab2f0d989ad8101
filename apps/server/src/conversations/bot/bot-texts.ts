import type { QuickReply } from '@desk/core';
import { PERSON_NO, PERSON_YES } from './dialogue.ts';
import type { BotLanguage } from './languages.ts';

/** What the bot says around its choices, in the user's language. */
export const botTexts = {
  ask: (language: BotLanguage) => ({ pt: 'Só para eu entender: você quer dizer…', es: 'Para entenderte bien: ¿te refieres a…', en: 'Just to be sure: do you mean…' })[language],
  offerPerson: (language: BotLanguage) =>
    ({
      pt: 'Desculpe, ainda não consegui entender. Quer falar com uma pessoa da nossa equipe?',
      es: 'Lo siento, sigo sin entenderte. ¿Quieres hablar con una persona de nuestro equipo?',
      en: "Sorry, I still don't understand. Would you like to talk to a person from our team?",
    })[language],
  personChoices: (language: BotLanguage): QuickReply[] => [
    // At most 20 characters: WhatsApp's limit for a reply button's title.
    { label: { pt: 'Sim, uma pessoa', es: 'Sí, una persona', en: 'Yes, a person' }[language], value: PERSON_YES },
    { label: { pt: 'Não, obrigado', es: 'No, gracias', en: 'No, thanks' }[language], value: PERSON_NO },
  ],
  personAccepted: (language: BotLanguage) =>
    ({
      pt: 'Certo! Uma pessoa da equipe vai responder por aqui mesmo em instantes.',
      es: '¡Claro! Una persona del equipo te responderá aquí mismo en breve.',
      en: 'Sure! A person from our team will answer right here shortly.',
    })[language],
  personDeclined: (language: BotLanguage) =>
    ({
      pt: 'Tudo bem! Pode me perguntar de outro jeito quando quiser.',
      es: '¡De acuerdo! Puedes preguntarme de otra forma cuando quieras.',
      en: 'All right! Feel free to ask me another way whenever you like.',
    })[language],
  cancelled: (language: BotLanguage) =>
    ({
      pt: 'Tudo bem, cancelei o pedido de atendimento. Se precisar, é só chamar!',
      es: 'De acuerdo, cancelé la solicitud de atención. ¡Aquí estoy si me necesitas!',
      en: "OK, I've cancelled your request for a person. I'm here if you need anything else!",
    })[language],
};
