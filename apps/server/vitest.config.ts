import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Each file gets its own database and fake model; files run one at a time to keep the
    // two-core CI machine (and the browser tests) unhurried.
    fileParallelism: false,
    // With TEST_DATABASE_URL (PostgreSQL), prepares the template every test database is copied from.
    globalSetup: ['test/support/global-setup.ts'],
    // …and after each file removes the databases it copied.
    setupFiles: ['test/support/setup.ts'],
    reporters: ['default', 'json'],
    // A PostgreSQL run (TEST_DATABASE_URL) reports beside the SQLite one; the CI summary adds both.
    outputFile: { json: process.env.TEST_DATABASE_URL ? 'test-results/vitest-postgresql.json' : 'test-results/vitest.json' },
  },
});
