import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{contract,native-bridge,electron,cloud,cli,renderer}/**/*.test.ts', '.eslint/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
