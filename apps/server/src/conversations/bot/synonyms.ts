/**
 * Customer-service vocabulary of pt, es and en grouped by meaning: the words a business's users
 * say for the same thing, most of which an intent's handful of training phrases never shows
 * ("representante", "staff", "overcharged", "boleto", "domingo"). A word in a group lends the
 * message the group's meaning as one more feature (see `PhraseMatcher`), so a phrase with
 * "atendente" also matches a message with "asesor". Words are folded (no accents, repeated
 * letters collapsed), as `tokenise` leaves them; each also matches through its stems.
 */
import type { BotLanguage } from './languages.ts';

export const SYNONYM_GROUPS: Readonly<Record<string, readonly string[]>> = {
  greeting: [
    'oi', 'oie', 'ola', 'opa', 'eae', 'eai', 'salve', 'hola', 'holi', 'buenas', 'saludos', 'hello', 'helo', 'hi', 'hey', 'hiya', 'howdy', 'yo',
    'greetings', 'morning', 'evening', 'afternoon',
  ],
  person: [
    'atendente', 'pessoa', 'humano', 'humana', 'alguem', 'funcionario', 'funcionaria', 'agente', 'operador', 'operadora', 'representante',
    'consultor', 'consultora', 'equipe', 'persona', 'alguien', 'asesor', 'asesora', 'ejecutivo', 'equipo', 'agent', 'person', 'human',
    'someone', 'somebody', 'anyone', 'anybody', 'representative', 'operator', 'staff', 'attendant', 'advisor', 'team', 'real',
    'live',
  ],
  talk: [
    'falar', 'fala', 'conversar', 'contato', 'transferir', 'transfere', 'passar', 'passa', 'chamar', 'chama', 'hablar', 'habla',
    'comunicar', 'comunicame', 'contacto', 'pasar', 'pasame', 'ponme', 'talk', 'speak', 'chat', 'contact', 'transfer', 'connect',
    'put', 'reach',
  ],
  support: ['suporte', 'atendimento', 'ajuda', 'soporte', 'atencion', 'ayuda', 'servicio', 'support', 'service', 'help', 'assistance', 'customer', 'cliente'],
  billing: [
    'cobrar', 'cobrado', 'cobrada', 'cobraram', 'cobranca', 'cobro', 'cobraron', 'cargo', 'charge', 'charged', 'overcharged', 'overcharge',
    'billed', 'bill', 'billing', 'fatura', 'factura', 'invoice', 'boleto', 'cuenta', 'account', 'taxa', 'tarifa', 'comision', 'fee',
    'valor', 'importe', 'monto', 'amount', 'price', 'preco', 'precio', 'pagamento', 'pago', 'payment', 'paguei', 'pague', 'paid', 'pay',
    'cartao', 'tarjeta', 'card', 'credito', 'credit', 'debito', 'debit', 'reembolso', 'refund', 'estorno',
  ],
  wrong: [
    'errado', 'errada', 'erro', 'incorreto', 'incorreta', 'indevido', 'indevida', 'duplicado', 'duplicada', 'dobro', 'alta', 'alto',
    'incorrecto', 'incorrecta', 'indebido', 'mal', 'error', 'doble', 'duplicado', 'wrong', 'mistake', 'incorrect', 'duplicate', 'double',
    'twice', 'vezes', 'veces', 'unauthorized', 'high', 'reconheco', 'reconozco', 'recognize', 'dispute', 'contestar', 'reclamar', 'disputar',
  ],
  hours: [
    'horario', 'horarios', 'hora', 'horas', 'hours', 'hour', 'time', 'times', 'abrir', 'abre', 'abrem', 'aberto', 'aberta', 'abertos',
    'fechar', 'fecha', 'fecham', 'fechado', 'abren', 'abierto', 'abiertos', 'cerrar', 'cierran',
    'cierra', 'cerrado', 'open', 'opening', 'opens', 'close', 'closes', 'closing', 'closed', 'late', 'early', 'cedo', 'tarde',
  ],
  weekday: [
    'domingo', 'segunda', 'terca', 'quarta', 'quinta', 'sexta', 'sabado', 'feriado', 'feriados', 'lunes', 'martes', 'miercoles', 'jueves',
    'viernes', 'festivo', 'festivos', 'sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sundays', 'saturdays',
    'holiday', 'holidays', 'weekend', 'weekends',
  ],
};

/**
 * Words of the groups above that mean something else in another of the bot's languages: in a
 * text clearly written in that language they lend no meaning (pt "time" is a team, not the
 * hour; es "fecha" is a date, not pt "fecha", closes; pt and en "cargo" is a job or freight,
 * not es "cargo", a charge).
 */
export const FALSE_FRIENDS: Readonly<Record<BotLanguage, readonly string[]>> = {
  pt: ['time', 'times', 'cargo'],
  es: ['fecha'],
  en: ['cargo'],
};
