import { canonical } from './text-normaliser.ts';

/** Ways to say "I don't need a person any more" in pt, es and en, as `canonical` leaves them. */
const CANCEL_PHRASES = [
  'deixa pra la', 'deixa para la', 'deixa', 'esquece', 'esquece isso', 'pode esquecer', 'nao precisa', 'nao precisa mais', 'nao quero mais',
  'cancela', 'cancelar', 'pode cancelar', 'ja resolvi', 'ja consegui', 'olvidalo', 'olvida', 'olvidalo ya', 'dejalo', 'dejalo asi', 'ya no',
  'ya no hace falta', 'no hace falta', 'ya lo resolvi', 'no importa', 'cancela', 'never mind', 'nevermind', 'forget it', 'cancel',
  'cancel that', 'no need', 'not needed anymore', 'i dont need help anymore', 'i figured it out', 'its ok now',
].map((phrase) => canonical(phrase));

/** Words around the request that don't change it ("ok, never mind, thanks"). */
const POLITE = new Set(['ok', 'okay', 'tudo', 'bem', 'obrigado', 'obrigada', 'valeu', 'gracias', 'vale', 'bueno', 'thanks', 'thank', 'you', 'please', 'por', 'favor', 'ah', 'oh', 'then', 'entao', 'entonces', 'pues']);

/** Whether a message takes back a request for a person ("deixa pra lá", "olvídalo", "never mind"). */
export function isCancelRequest(text: string): boolean {
  const words = canonical(text)
    .split(' ')
    .filter((word) => word !== '' && !POLITE.has(word));
  const rest = words.join(' ');
  return rest !== '' && CANCEL_PHRASES.includes(rest);
}
