import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One test file per core, not vitest's default of one fewer: many files spend their time
    // waiting on g++, Redis or a browser, and on 2 cores the default runs them one at a time.
    maxWorkers: availableParallelism(),
    globalSetup: ['test/support/global-setup.ts'],
  },
});
