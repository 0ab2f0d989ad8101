import { z } from 'zod';

/**
 * Zod compiles fast validators with `new Function` when it may. Under a Content-Security-Policy
 * without 'unsafe-eval' (the PWA's) its probe for that is itself a reported violation: browsers call
 * this before validating anything, and zod validates without compiling.
 */
export function validateWithoutEval(): void {
  z.config({ jitless: true });
}
