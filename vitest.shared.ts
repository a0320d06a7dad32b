import { defineConfig } from 'vitest/config';

// One configuration for every package: tests fork real processes, so they get room to start them.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 20_000,
    teardownTimeout: 10_000,
  },
});
