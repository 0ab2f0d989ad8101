import type { Container } from '@nlpjs/core';

export function createNetworkEngine(iterations: number): Promise<{ nlp: unknown; container: Container }>;
