import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runReadmeExample } from '@comet-p2p/testing'
import { expect, it } from 'vitest'

it('the README example runs', async () => {
  const { stdout } = await runReadmeExample(join(dirname(fileURLToPath(import.meta.url)), '..'))
  expect(stdout).toMatch(/bob: authenticated [0-9a-f]{40}/)
  expect(stdout).toMatch(/alice: connected to [0-9a-f]{40} \(backend \w+\)/)
  expect(stdout).toContain('alice: echoed back: hello, bob')
})
