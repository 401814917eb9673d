import { defineConfig } from 'vitest/config'

/**
 * `pnpm fuzz`: only the property/fuzz files, with FUZZ_RUNS (default 20000
 * from the package script) runs per property and no per-test time limit.
 */
export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.test.ts'],
    testTimeout: 0,
    hookTimeout: 0
  }
})
