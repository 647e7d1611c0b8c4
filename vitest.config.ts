import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests beside the code, and fast-check property suites.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          environment: 'node',
          // The CLI tests spawn node processes; on 2 busy cores one can take several seconds.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'property',
          include: ['property-tests/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
    ],
  },
});
