// nlp.js's neural network trained off the main thread, so a large retrain never stops the bot
// answering. Plain JavaScript on purpose: a worker thread doesn't inherit the TypeScript loader
// (tsx, vitest) of the process that starts it, and this file needs only nlp.js.
import { parentPort } from 'node:worker_threads';
import { createNetworkEngine } from './network-engine.mjs';

parentPort?.on('message', async (/** @type {{ documents: { language: string; utterance: string; intent: string }[]; iterations: number }} */ job) => {
  try {
    const { nlp } = await createNetworkEngine(job.iterations);
    for (const { language, utterance, intent } of job.documents) nlp.nluManager.add(language, utterance, intent);
    await nlp.train();
    parentPort?.postMessage({ ok: true, model: nlp.export(true) });
  } catch (err) {
    parentPort?.postMessage({ ok: false, error: String(err instanceof Error ? err.stack : err) });
  }
});
