import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runReadmeExample } from '@comet-p2p/testing'
import { expect, it } from 'vitest'

it('the README example runs', async () => {
  const { stdout } = await runReadmeExample(join(dirname(fileURLToPath(import.meta.url)), '..'))
  expect(stdout).toMatch(/node id [0-9a-f]{40} reloads as/)
  expect(stdout).toMatch(/type: 'msg'/)
})
