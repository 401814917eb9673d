import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Memory bounds are checked on the heap after a forced collection.
    execArgv: ['--expose-gc'],
    // Two cores: the heavy files (flood, crash) must not compete with each other.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 30_000
  }
})
