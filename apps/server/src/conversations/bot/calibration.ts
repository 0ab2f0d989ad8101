/**
 * How the ensemble's two scores become one confidence. The phrase matcher's similarity carries
 * the decision (it alone can tell an off-topic message); nlp.js's network score shifts it.
 * The logistic curve maps the combined score to the share of messages with that score whose
 * intent was right on the tuning part of the evaluation set (`npm run eval:nlu` prints the
 * calibration table on the held-out part).
 */
export const NETWORK_WEIGHT = 0.2;
export const CALIBRATION = { slope: 20, midpoint: 0.445 };

export function ensembleScore(similarity: number, network: number): number {
  return similarity * (1 - NETWORK_WEIGHT + NETWORK_WEIGHT * network);
}

export function confidenceOf(score: number): number {
  return 1 / (1 + Math.exp(-CALIBRATION.slope * (score - CALIBRATION.midpoint)));
}
