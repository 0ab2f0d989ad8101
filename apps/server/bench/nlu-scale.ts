/**
 * Bot scale: 200 intents × 3 languages × 20 phrases. Prints how long a retrain takes until the
 * new model answers, whether the previous model kept answering meanwhile (and how fast), and
 * the p50/p99 of one classification. Baselines in the same run: one pass tokenising and
 * stemming every phrase (the least any trainer does) for training, and one bare nlp.js
 * `process` call for classification.
 *
 *   pnpm --filter @desk/server bench:nlu   [INTENTS=200 PHRASES=20 READS=2000]
 */
import { availableParallelism, loadavg } from 'node:os';
import type { Intent } from '@desk/core';
import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangEs } from '@nlpjs/lang-es';
import { LangPt } from '@nlpjs/lang-pt';
import { Nlp } from '@nlpjs/nlp';
import { Nlu } from '../src/conversations/bot/nlu.ts';
import { tokenise } from '../src/conversations/bot/text-normaliser.ts';
import { demoIntents } from '../src/demo/demo-intents.ts';

const INTENTS = Number(process.env.INTENTS ?? 200);
const PHRASES = Number(process.env.PHRASES ?? 20);
const READS = Number(process.env.READS ?? 2000);

// Deterministic pseudo-random text: each language's frame words plus invented topic words, so
// intents differ by their vocabulary as real ones do.
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const syllables = ['ba', 'co', 'di', 'fu', 'ga', 'le', 'mi', 'no', 'pa', 'ri', 'sa', 'te', 'vu', 'zo', 'tra', 'ble', 'cri', 'pon', 'ter', 'mas'];
const word = () => Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(syllables)).join('');
const frames = {
  pt: ['quero saber sobre', 'tenho um problema com', 'como faço para', 'preciso de ajuda com', 'vocês têm', 'onde fica'],
  es: ['quiero saber sobre', 'tengo un problema con', 'cómo hago para', 'necesito ayuda con', 'ustedes tienen', 'dónde queda'],
  en: ['I want to know about', 'I have a problem with', 'how do I', 'I need help with', 'do you have', 'where is'],
};
const intents: Intent[] = Array.from({ length: INTENTS }, (_, i) => {
  const topic = Array.from({ length: 6 }, word);
  const phrases = (['pt', 'es', 'en'] as const).flatMap((language) =>
    Array.from({ length: PHRASES }, () => `${pick(frames[language])} ${pick(topic)} ${pick(topic)} ${random() < 0.5 ? word() : ''}`.trim()),
  );
  return {
    id: `intent-${i}`,
    name: `Intent ${i}`,
    phrases,
    answers: [`Resposta ${i}`, `Respuesta ${i}`, `Answer ${i}`],
    desk: { enabled: i % 10 === 0, agentId: null, status: 'new', priority: 'normal' },
    createdAt: '',
    updatedAt: '',
  };
});
const demo: Intent[] = demoIntents(null).map((input, i) => ({ ...input, id: `demo-${i}`, createdAt: '', updatedAt: '' }));
const all = [...demo, ...intents];
const queries = intents.slice(0, 50).map((intent) => `${pick(frames.en)} ${intent.phrases[0]?.split(' ').at(-1)} please`);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const ms = (n: number) => `${n.toFixed(n < 10 ? 3 : 0)} ms`;

console.log(`${all.length} intents, ${all.reduce((n, i) => n + i.phrases.length, 0)} phrases; load average at the start ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} cores\n`);

// Baseline 1: one pass tokenising and stemming every phrase.
const container = await containerBootstrap();
container.use(Nlp);
container.use(LangPt);
container.use(LangEs);
container.use(LangEn);
const stemmers = ['pt', 'es', 'en'].map((l) => container.get(`stemmer-${l}`) as { stem(t: string[]): string[] });
let start = performance.now();
for (const intent of all) for (const phrase of intent.phrases) for (const stemmer of stemmers) stemmer.stem(tokenise(phrase).map((t) => t.text));
const baselineTrainMs = performance.now() - start;

// The retrain: a first model answers while the second trains.
const nlu = new Nlu();
await nlu.train(demo);
const duringReads: number[] = [];
start = performance.now();
let training = true;
const retrain = nlu.train(all).then(() => {
  training = false;
});
let answeredDuring = 0;
while (training) {
  const t0 = performance.now();
  const reading = await nlu.read('can I talk to a real person?');
  duringReads.push(performance.now() - t0);
  if (reading.intent?.name === 'Talk to a person') answeredDuring += 1;
  await new Promise((resolve) => setTimeout(resolve, 5));
}
await retrain;
const trainMs = performance.now() - start;
duringReads.sort((a, b) => a - b);

// Classification, on the big model.
for (let i = 0; i < 200; i += 1) await nlu.read(pick(queries));
const reads: number[] = [];
const cpuReads: number[] = [];
let matched = 0;
for (let i = 0; i < READS; i += 1) {
  const text = pick(queries);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const reading = await nlu.read(text);
  reads.push(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  cpuReads.push((cpu.user + cpu.system) / 1000);
  if (reading.intent) matched += 1;
}
reads.sort((a, b) => a - b);
cpuReads.sort((a, b) => a - b);

// Baseline 2: one bare nlp.js `process` call on a demo-sized network, the library's floor.
const bare = container.get('nlp') as { settings: Record<string, unknown>; addLanguage(l: string[]): void; addDocument(l: string, u: string, i: string): void; train(): Promise<unknown>; nluManager: { settings: Record<string, unknown>; process(l: string, u: string): Promise<unknown> } };
Object.assign(bare.settings, { log: false, autoSave: false });
bare.nluManager.settings.domain = { nluByDomain: { default: { settings: { log: false } } } };
bare.addLanguage(['en']);
for (const intent of demo) for (const phrase of intent.phrases) bare.addDocument('en', phrase, intent.id);
await bare.train();
const bareReads: number[] = [];
const bareCpuReads: number[] = [];
for (let i = 0; i < READS; i += 1) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await bare.nluManager.process('en', pick(queries));
  bareReads.push(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  bareCpuReads.push((cpu.user + cpu.system) / 1000);
}
bareReads.sort((a, b) => a - b);
bareCpuReads.sort((a, b) => a - b);

console.log(`retrain until the new model answers: ${ms(trainMs)}   (goal ≤ 10 s; baseline tokenise+stem pass ${ms(baselineTrainMs)}, ratio ${(trainMs / baselineTrainMs).toFixed(1)}×)`);
console.log(`old model meanwhile: ${answeredDuring}/${duringReads.length} reads answered, p99 ${ms(percentile(duringReads, 99))}, max ${ms(duringReads.at(-1) ?? 0)}`);
console.log(`one classification: p50 ${ms(percentile(reads, 50))}, p99 ${ms(percentile(reads, 99))}   (goal p99 ≤ 2 ms; baseline bare nlp.js process p99 ${ms(percentile(bareReads, 99))}, ratio ${(percentile(reads, 99) / percentile(bareReads, 99)).toFixed(1)}×)`);
console.log(`   on-CPU time (what the process itself spent; wall time above includes waiting for a busy machine's cores): p50 ${ms(percentile(cpuReads, 50))}, p99 ${ms(percentile(cpuReads, 99))}; bare nlp.js p99 ${ms(percentile(bareCpuReads, 99))}`);
console.log(`(${matched}/${READS} queries matched an intent; load average at the end ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} cores)`);
