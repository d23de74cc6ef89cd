import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests beside the code (test/), and integration tests that
// start real servers and real plugin processes (integration/). Integration tests
// run against the compiled dist/, so `npm run build` must run first.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'builtin/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Real servers and child processes: one file at a time, so the machine (2 cores)
          // does not thrash and timing-sensitive daemon tests stay honest.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
