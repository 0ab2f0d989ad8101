/**
 * `npm run eval:nlu` — how well the bot understands the demo intents, measured on sentences
 * that are not training phrases (eval/nlu/<language>.json).
 *
 * The set is split once, by position: in every list, each sentence whose index is a multiple
 * of three (0, 3, 6, …) is the tuning part, all others the held-out report part. The bot's
 * constants were tuned looking only at the tuning part; figures are reported on the held-out
 * part (`--part=tune` or `--part=all` to see the others). `--fit` refits the confidence curve
 * on the tuning part and prints the constants for calibration.ts.
 */
import { readFileSync } from 'node:fs';
import type { Intent } from '@desk/core';
import { ensembleScore } from '../src/conversations/bot/calibration.ts';
import { BOT_LANGUAGES, type BotLanguage } from '../src/conversations/bot/languages.ts';
import { type BotReading, Nlu } from '../src/conversations/bot/nlu.ts';
import { demoIntents } from '../src/demo/demo-intents.ts';

interface EvalSet {
  language: BotLanguage;
  paraphrases: [string, string][];
  greetingPlusHandOff: [string, string][];
  offTopic: string[];
}

type Part = 'tune' | 'report' | 'all';
const args = process.argv.slice(2);
const part = (args.find((a) => a.startsWith('--part='))?.slice('--part='.length) ?? 'report') as Part;
const fit = args.includes('--fit');
const inPart = (index: number, which: Part) => which === 'all' || (index % 3 === 0) === (which === 'tune');
const pick = <T>(list: T[], which: Part) => list.filter((_, i) => inPart(i, which));

const GOALS = { accuracy: 0.95, offTopicMatched: 0.03 };
const FALLBACK = '(fallback)';

const intents: Intent[] = demoIntents(null).map((input, i) => ({ ...input, id: `demo-${i}`, createdAt: '', updatedAt: '' }));
const nlu = new Nlu();
await nlu.train(intents);

const nameOf = (reading: BotReading) => reading.intent?.name ?? FALLBACK;
const pct = (n: number, d: number) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)} %`);
const samples: { score: number; right: boolean }[] = [];
const record = (reading: BotReading, right: boolean) => {
  const top = reading.ranking[0];
  samples.push({ score: top ? ensembleScore(top.similarity, top.network) : 0, right });
};

let allGoalsMet = true;
console.log(`NLU evaluation on the ${part === 'all' ? 'whole' : part === 'tune' ? 'tuning part of the' : 'held-out part of the'} set (threshold ${nlu.threshold})\n`);
for (const language of BOT_LANGUAGES) {
  const set = JSON.parse(readFileSync(new URL(`./nlu/${language}.json`, import.meta.url), 'utf8')) as EvalSet;
  const paraphrases = [...pick(set.paraphrases, fit ? 'tune' : part), ...pick(set.greetingPlusHandOff, fit ? 'tune' : part)];
  const offTopic = pick(set.offTopic, fit ? 'tune' : part);
  const greetingPlusHandOff = pick(set.greetingPlusHandOff, fit ? 'tune' : part);
  const misses: string[] = [];
  const confusion = new Map<string, Map<string, number>>();
  let right = 0;
  let asked = 0;
  for (const [text, expected] of paraphrases) {
    const reading = await nlu.read(text);
    if (reading.ask) asked += 1;
    const got = nameOf(reading);
    const row = confusion.get(expected) ?? new Map<string, number>();
    row.set(got, (row.get(got) ?? 0) + 1);
    confusion.set(expected, row);
    record(reading, got === expected);
    if (got === expected) right += 1;
    else misses.push(`  paraphrase  "${text}": expected ${expected}, got ${got} (${reading.confidence.toFixed(2)})`);
  }
  let matched = 0;
  for (const text of offTopic) {
    const reading = await nlu.read(text);
    record(reading, false);
    if (reading.intent) {
      matched += 1;
      misses.push(`  off-topic   "${text}": matched ${nameOf(reading)} (${reading.confidence.toFixed(2)})`);
    }
  }
  let handedOff = 0;
  for (const [text] of greetingPlusHandOff) {
    const reading = await nlu.read(text);
    if (reading.intent?.desk.enabled) handedOff += 1;
  }
  const accuracy = paraphrases.length ? right / paraphrases.length : 1;
  const offTopicMatched = offTopic.length ? matched / offTopic.length : 0;
  const met = accuracy >= GOALS.accuracy && offTopicMatched <= GOALS.offTopicMatched && handedOff === greetingPlusHandOff.length;
  allGoalsMet &&= met;
  console.log(`== ${language} ==`);
  console.log(`  paraphrases right:        ${right}/${paraphrases.length} = ${pct(right, paraphrases.length)}   (goal ≥ 95 %)`);
  console.log(`  off-topic rejected:       ${offTopic.length - matched}/${offTopic.length}; matched an intent ${pct(matched, offTopic.length)}   (goal ≤ 3 %)`);
  console.log(`  greeting + hand-off:      ${handedOff}/${greetingPlusHandOff.length} handed off   (goal: all)`);
  console.log(`  paraphrases the bot would ask about (two close intents) instead of answering: ${asked}/${paraphrases.length}`);
  console.log('  confusion (expected → got):');
  for (const [expected, row] of confusion) {
    console.log(`    ${expected.padEnd(18)} ${[...row].map(([got, n]) => `${got}: ${n}`).join(', ')}`);
  }
  console.log(misses.length ? `  misses:\n${misses.join('\n')}` : '  misses: none');
  console.log(`  goals met: ${met ? 'yes' : 'NO'}\n`);
}

// Calibration: in each confidence band, how often the top intent was the right one.
console.log('calibration (top intent right, by confidence band; off-topic counts as wrong):');
const bands = [0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0001];
const { confidenceOf } = await import('../src/conversations/bot/calibration.ts');
for (let i = 0; i < bands.length - 1; i += 1) {
  const lo = bands[i] as number;
  const hi = bands[i + 1] as number;
  const inBand = samples.filter((s) => confidenceOf(s.score) >= lo && confidenceOf(s.score) < hi);
  const rightCount = inBand.filter((s) => s.right).length;
  console.log(`  ${lo.toFixed(1)}–${Math.min(1, hi).toFixed(1)}: ${String(inBand.length).padStart(3)} messages, right ${pct(rightCount, inBand.length)}`);
}

if (fit) {
  // Logistic regression of "right" on the ensemble score, by gradient descent.
  let slope = 10;
  let intercept = -5;
  for (let step = 0; step < 20000; step += 1) {
    let gs = 0;
    let gi = 0;
    for (const { score, right } of samples) {
      const p = 1 / (1 + Math.exp(-(slope * score + intercept)));
      gs += (p - (right ? 1 : 0)) * score;
      gi += p - (right ? 1 : 0);
    }
    slope -= (0.5 * gs) / samples.length;
    intercept -= (0.5 * gi) / samples.length;
  }
  console.log(`\nfitted on the tuning part: slope ${slope.toFixed(2)}, midpoint ${(-intercept / slope).toFixed(3)}`);
}
console.log(`\nall goals met: ${allGoalsMet ? 'yes' : 'NO'}`);
