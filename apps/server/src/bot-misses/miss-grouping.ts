/**
 * Groups similar misses by character trigrams (cosine similarity of their counts), so 300 variants
 * of one question show as one row. Pure; leader clustering in the order given (newest first): an
 * entry joins the first group whose leader it resembles, else leads a new one.
 */
export const SIMILARITY_THRESHOLD = 0.5;

export function normalizeForGrouping(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/(\p{L})\1{2,}/gu, '$1')
    .trim();
}

export function trigrams(text: string): Map<string, number> {
  const padded = ` ${normalizeForGrouping(text)} `;
  const grams = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i += 1) {
    const gram = padded.slice(i, i + 3);
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

export function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [gram, count] of a) {
    na += count * count;
    const other = b.get(gram);
    if (other) dot += count * other;
  }
  for (const count of b.values()) nb += count * count;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export function groupSimilar<T extends { text: string }>(entries: readonly T[], threshold = SIMILARITY_THRESHOLD): T[][] {
  const groups: { leader: Map<string, number>; members: T[] }[] = [];
  for (const entry of entries) {
    const grams = trigrams(entry.text);
    const home = groups.find((g) => cosine(g.leader, grams) >= threshold);
    if (home) home.members.push(entry);
    else groups.push({ leader: grams, members: [entry] });
  }
  return groups.map((g) => g.members).sort((a, b) => b.length - a.length);
}
