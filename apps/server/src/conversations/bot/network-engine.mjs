// One configuration of nlp.js for both the main thread and the training worker (see network-trainer.mjs).
import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangEs } from '@nlpjs/lang-es';
import { LangPt } from '@nlpjs/lang-pt';
import { Nlp } from '@nlpjs/nlp';

/**
 * A fresh nlp.js with pt, es and en, quiet, keeping nothing on disk.
 * @param {number} iterations the network's most training epochs
 */
export async function createNetworkEngine(iterations) {
  const container = await containerBootstrap();
  container.use(Nlp);
  container.use(LangPt);
  container.use(LangEs);
  container.use(LangEn);
  const nlp = container.get('nlp');
  Object.assign(nlp.settings, { log: false, autoSave: false, autoLoad: false, threshold: 0, calculateSentiment: false });
  // Without log: false the neural network prints every training epoch.
  nlp.nluManager.settings.domain = { nluByDomain: { default: { settings: { log: false, iterations } } } };
  nlp.addLanguage(['pt', 'es', 'en']);
  return { nlp, container };
}
