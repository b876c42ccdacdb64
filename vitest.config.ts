import { defineConfig } from 'vitest/config';

// Real-kernel suites (namespaces, keepalived) share the host's network stack and
// spawn daemons: run test files one at a time so their timings stay honest.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
