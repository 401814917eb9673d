import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runReadmeExample } from '@comet-p2p/testing'

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..')

describe('README', () => {
  it('runs the example: two switches exchange a chat message and an echo, then exit', async () => {
    const { stdout } = await runReadmeExample(packageDir, 20_000)
    expect(stdout).toMatch(/bob got "hello bob" from [0-9a-f]{8}/)
    expect(stdout).toMatch(/alice got "echo: hello bob" from [0-9a-f]{8}/)
  }, 30_000)
})
