export type Lang = 'pt-BR' | 'es' | 'en';

export const LANGS: readonly Lang[] = ['pt-BR', 'es', 'en'];

/**
 * Picks the widget language: an explicit choice (data-lang) wins when it is one we speak,
 * then the first of the browser's languages we speak; English otherwise.
 * Any Portuguese variant maps to pt-BR and any Spanish variant to es.
 */
export function chooseLanguage(explicit: string | null | undefined, preferred: readonly string[]): Lang {
  const candidates = explicit ? [explicit, ...preferred] : preferred;
  for (const candidate of candidates) {
    const lang = matchLanguage(candidate);
    if (lang) return lang;
  }
  return 'en';
}

function matchLanguage(tag: string): Lang | null {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'pt') return 'pt-BR';
  if (primary === 'es') return 'es';
  if (primary === 'en') return 'en';
  return null;
}

export interface Strings {
  openChat: string;
  closeChat: string;
  title: string;
  subtitle: string;
  intro: string;
  messages: string;
  messageLabel: string;
  placeholder: string;
  send: string;
  attach: string;
  chooseFile: string;
  bot: string;
  /** The group of a bot question's choice buttons. */
  choices: string;
  agent: string;
  sending: string;
  notSent: string;
  retry: string;
  dismiss: string;
  connecting: string;
  offline: string;
  tooLarge: string;
  badType: string;
  network: string;
  failed: string;
  newMessages: string;
}

export const STRINGS: Record<Lang, Strings> = {
  en: {
    openChat: 'Open chat',
    closeChat: 'Close chat',
    title: 'Chat',
    subtitle: 'We usually reply in a few minutes',
    intro: 'Hi! Ask us anything. Our assistant answers right away, and a person joins when needed.',
    messages: 'Messages',
    messageLabel: 'Message',
    placeholder: 'Type a message…',
    send: 'Send',
    attach: 'Attach a file',
    chooseFile: 'Choose a file',
    bot: 'Assistant',
    choices: 'Choices',
    agent: 'Agent',
    sending: 'Sending…',
    notSent: 'Not sent.',
    retry: 'Retry',
    dismiss: 'Dismiss',
    connecting: 'Connecting…',
    offline: "You're offline. We'll reconnect automatically.",
    tooLarge: 'This file is too large to send.',
    badType: "This type of file can't be sent.",
    network: "Couldn't reach the server. Check your connection.",
    failed: 'Something went wrong. Please try again.',
    newMessages: 'new messages',
  },
  'pt-BR': {
    openChat: 'Abrir chat',
    closeChat: 'Fechar chat',
    title: 'Chat',
    subtitle: 'Costumamos responder em poucos minutos',
    intro: 'Olá! Pergunte o que quiser. Nosso assistente responde na hora, e uma pessoa entra na conversa quando precisar.',
    messages: 'Mensagens',
    messageLabel: 'Mensagem',
    placeholder: 'Digite uma mensagem…',
    send: 'Enviar',
    attach: 'Anexar arquivo',
    chooseFile: 'Escolher arquivo',
    bot: 'Assistente',
    choices: 'Opções',
    agent: 'Atendente',
    sending: 'Enviando…',
    notSent: 'Não enviada.',
    retry: 'Tentar de novo',
    dismiss: 'Descartar',
    connecting: 'Conectando…',
    offline: 'Você está sem conexão. Vamos reconectar automaticamente.',
    tooLarge: 'Este arquivo é grande demais para ser enviado.',
    badType: 'Este tipo de arquivo não pode ser enviado.',
    network: 'Não foi possível falar com o servidor. Verifique sua conexão.',
    failed: 'Algo deu errado. Tente de novo.',
    newMessages: 'mensagens novas',
  },
  es: {
    openChat: 'Abrir chat',
    closeChat: 'Cerrar chat',
    title: 'Chat',
    subtitle: 'Solemos responder en pocos minutos',
    intro: '¡Hola! Pregúntanos lo que quieras. Nuestro asistente responde al instante y una persona interviene cuando hace falta.',
    messages: 'Mensajes',
    messageLabel: 'Mensaje',
    placeholder: 'Escribe un mensaje…',
    send: 'Enviar',
    attach: 'Adjuntar archivo',
    chooseFile: 'Elegir archivo',
    bot: 'Asistente',
    choices: 'Opciones',
    agent: 'Agente',
    sending: 'Enviando…',
    notSent: 'No enviado.',
    retry: 'Reintentar',
    dismiss: 'Descartar',
    connecting: 'Conectando…',
    offline: 'Estás sin conexión. Volveremos a conectar automáticamente.',
    tooLarge: 'Este archivo es demasiado grande para enviarlo.',
    badType: 'Este tipo de archivo no se puede enviar.',
    network: 'No se pudo contactar con el servidor. Revisa tu conexión.',
    failed: 'Algo salió mal. Inténtalo de nuevo.',
    newMessages: 'mensajes nuevos',
  },
};
