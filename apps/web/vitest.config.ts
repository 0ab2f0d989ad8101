import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // Property and IndexedDB tests do real work; a loaded CI machine must not turn them into timeouts.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
