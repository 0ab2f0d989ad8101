import { describe, expect, it } from 'vitest';
import { subjectParts } from './format.ts';

describe('subjectParts', () => {
  it('splits the integration prefix from the intent name', () => {
    expect(subjectParts('Acme Support — Talk to a person', 'Talk to a person')).toEqual({ prefix: 'Acme Support', rest: 'Talk to a person' });
  });

  it('keeps a subject whole when it does not end with the intent name', () => {
    expect(subjectParts('Acme Support — Billing', 'Talk to a person')).toEqual({ prefix: '', rest: 'Acme Support — Billing' });
    expect(subjectParts('Question about my order', undefined)).toEqual({ prefix: '', rest: 'Question about my order' });
    expect(subjectParts(' — Refunds', 'Refunds')).toEqual({ prefix: '', rest: ' — Refunds' });
  });
});
