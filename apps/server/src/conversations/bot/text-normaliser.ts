/**
 * How people write in chat, folded to one canonical form before the bot reads it: lower case,
 * no accents, repeated letters collapsed ("oiii", "holaa", "heyyy", "good" → "god": the training
 * phrases are folded the same way, so both sides meet), and common chat abbreviations of pt, es
 * and en spelled out ("vc" → "voce", "pq" → "porque", "u" → "you").
 */

/** Chat abbreviations → words, per language; looked up before and after repeated letters collapse. */
export const CHAT_ABBREVIATIONS: Readonly<Record<'pt' | 'es' | 'en', Readonly<Record<string, string>>>> = {
  pt: {
    vc: 'voce', vcs: 'voces', voce: 'voce', pq: 'porque', pk: 'porque', q: 'que', tb: 'tambem', tbm: 'tambem', hj: 'hoje', td: 'tudo',
    blz: 'beleza', msm: 'mesmo', qdo: 'quando', qnd: 'quando', pfv: 'por favor', pf: 'por favor', pfvr: 'por favor', obg: 'obrigado',
    obgd: 'obrigado', vlw: 'valeu', n: 'nao', naum: 'nao', eh: 'e', pra: 'para', c: 'com',
    cmg: 'comigo', ctg: 'contigo', mt: 'muito', mto: 'muito', hrs: 'horas', hr: 'hora', atd: 'atendimento', fds: 'fim de semana',
  },
  es: {
    xq: 'porque', pq: 'porque', porq: 'porque', k: 'que', tmb: 'tambien', tb: 'tambien', xfa: 'por favor', porfa: 'por favor',
    x: 'por', d: 'de', toy: 'estoy', sta: 'esta', ntp: 'no te preocupes', dnd: 'donde', cdo: 'cuando', msj: 'mensaje', hla: 'hola',
  },
  en: {
    u: 'you', ur: 'your', r: 'are', pls: 'please', plz: 'please', thx: 'thanks', ty: 'thank you', im: 'i am', cant: 'can not',
    dont: 'do not', wanna: 'want to', gonna: 'going to', gotta: 'got to', hrs: 'hours', acct: 'account', ppl: 'people', sb: 'somebody',
    smb: 'somebody', sth: 'something', rep: 'representative', msg: 'message', tmrw: 'tomorrow', tmr: 'tomorrow', bc: 'because',
    cuz: 'because', coz: 'because', wat: 'what', wut: 'what', whats: 'what is', hows: 'how is', ive: 'i have',
  },
};

const ABBREVIATIONS: ReadonlyMap<string, string> = new Map(
  Object.values(CHAT_ABBREVIATIONS).flatMap((table) => Object.entries(table)).reverse(),
);

/** One word of a message, folded, with whether it looks like a name or a number the bot can't know. */
export interface Token {
  text: string;
  /** Order numbers, codes, and capitalised words inside a sentence: place, product and brand names. */
  nameLike: boolean;
}

/** Lower case without accents ("Horário" → "horario", "¿Cuál" → "¿cual"). */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** "oiii" → "oi", "heyyy" → "hey", "good" → "god". */
export function collapseRepeats(word: string): string {
  return word.replace(/(\p{L})\1+/gu, '$1');
}

const WORD = /[\p{L}\p{N}]+(?:['’\-_./#][\p{L}\p{N}]+)*/gu;

/**
 * "What time", "que horas", "a qué hora", "what day", "qué día" ask *when*: they are one
 * interrogative, not a mention of time, so they are read as "when" ("quando", "cuando"), a
 * function word. The sentence's meaning is then carried by its other words: "what time do you
 * open" is about opening, "what time is it in Tokyo" about nothing the business does. Asking
 * until what time ("até que horas", "hasta qué hora") is asking when something closes, and is
 * read so. Likewise "how many hours", "quantas horas", "cuánto tiempo" ask *how long*, read
 * as "how" ("quanto", "cuanto"). Longest first; words as `tokenise` folds them.
 */
const TIME_QUESTIONS: readonly (readonly [readonly string[], readonly string[]])[] = [
  [['until', 'what', 'time'], ['until', 'close']], [['till', 'what', 'time'], ['until', 'close']],
  [['ate', 'que', 'horas'], ['ate', 'fecha']], [['ate', 'que', 'hora'], ['ate', 'fecha']], [['hasta', 'que', 'hora'], ['hasta', 'cierra']], [['hasta', 'que', 'horas'], ['hasta', 'cierra']],
  [['how', 'many', 'hours'], ['how']], [['how', 'long'], ['how']], [['quantas', 'horas'], ['quanto']], [['quanto', 'tempo'], ['quanto']],
  [['cuantas', 'horas'], ['cuanto']], [['cuanto', 'tiempo'], ['cuanto']],
  [['at', 'what', 'time'], ['when']], [['what', 'time'], ['when']], [['what', 'day'], ['when']], [['which', 'day'], ['when']], [['what', 'days'], ['when']], [['which', 'days'], ['when']],
  [['a', 'que', 'horas'], ['quando']], [['as', 'que', 'horas'], ['quando']], [['que', 'horas'], ['quando']], [['qual', 'dia'], ['quando']], [['quais', 'dias'], ['quando']],
  [['a', 'que', 'hora'], ['cuando']], [['que', 'hora'], ['cuando']], [['que', 'dia'], ['cuando']], [['que', 'dias'], ['cuando']], [['cual', 'dia'], ['cuando']], [['cuales', 'dias'], ['cuando']],
];

/** TIME_QUESTIONS by their first word, longest first. */
const TIME_QUESTIONS_BY_FIRST_WORD = new Map<string, (typeof TIME_QUESTIONS)[number][]>();
for (const entry of TIME_QUESTIONS) {
  const first = entry[0][0] as string;
  TIME_QUESTIONS_BY_FIRST_WORD.set(first, [...(TIME_QUESTIONS_BY_FIRST_WORD.get(first) ?? []), entry]);
}

function foldTimeQuestions(tokens: Token[]): Token[] {
  const folded: Token[] = [];
  for (let i = 0; i < tokens.length; ) {
    const candidates = TIME_QUESTIONS_BY_FIRST_WORD.get((tokens[i] as Token).text);
    const phrase = candidates?.find(([words]) => words.every((word, k) => tokens[i + k]?.text === word));
    if (phrase) {
      for (const text of phrase[1]) folded.push({ text: collapseRepeats(text), nameLike: false });
      i += phrase[0].length;
    } else {
      folded.push(tokens[i] as Token);
      i += 1;
    }
  }
  return folded;
}

/** The message's words in canonical form, abbreviations spelled out, time questions read as interrogatives (see TIME_QUESTIONS). */
export function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  // "e aí" is one word in Brazilian chat (a greeting); "two times" is "twice".
  text = text.replace(/(?<!\p{L})[eE] a[ií](?!\p{L})/gu, 'eaí').replace(/(?<![\p{L}\p{N}])(?:two|2) times(?!\p{L})/giu, 'twice');
  let sentenceStart = true;
  for (const match of text.matchAll(WORD)) {
    const raw = match[0];
    const before = text.slice(0, match.index).trimEnd();
    if (/[.!?¿¡]$/.test(before)) sentenceStart = true;
    const hasDigit = /\p{N}/u.test(raw);
    const capitalised = /^\p{Lu}/u.test(raw) && !/^\p{Lu}+$/u.test(raw);
    const nameLike = hasDigit || (capitalised && !sentenceStart);
    sentenceStart = false;
    const folded = fold(raw).replace(/['’]/g, '');
    const spelled = ABBREVIATIONS.get(folded) ?? ABBREVIATIONS.get(collapseRepeats(folded)) ?? folded;
    for (const word of spelled.split(/[\s\-_./#]+/)) {
      if (word !== '') tokens.push({ text: collapseRepeats(word), nameLike });
    }
  }
  return foldTimeQuestions(tokens);
}

/** The canonical form of a whole text, words joined by spaces (what nlp.js is trained on and asked). */
export function canonical(text: string): string {
  return tokenise(text)
    .map((token) => token.text)
    .join(' ');
}
