import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests spawn the built CLI and type-check fixtures: give them room on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Every reference search that skips the language service is checked against it in the suite (and in the CLI
    // runs the tests spawn): a difference throws.
    env: { MIGRATE_INTERACTIONS_CHECK_REFERENCES: '1' },
  },
});
