import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runReadmeExample } from '@comet-p2p/testing'

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..')

describe('README', () => {
  it('runs the example: two nodes find each other through a seed, then everything stops', async () => {
    const { stdout } = await runReadmeExample(packageDir, 20_000)
    expect(stdout).toMatch(/alice is connected to .*bob/)
    expect(stdout).toMatch(/bob is connected to .*alice/)
    expect(stdout).toMatch(/the seed answered [1-9]\d* requests/)
  }, 30_000)
})
