import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runReadmeExample } from '@comet-p2p/testing'
import { expect, it } from 'vitest'

it('the README example runs', async () => {
  const { stdout } = await runReadmeExample(join(dirname(fileURLToPath(import.meta.url)), '..'))
  expect(stdout).toContain("before restart { size: 4, nNew: 3, nOld: 1, nBanned: 1 }")
  expect(stdout).toContain("file fields [ 'key', 'addrs', 'hash_key', 'bans' ]")
  expect(stdout).toContain("after restart { size: 4, nNew: 3, nOld: 1, nBanned: 1 }")
  expect(stdout).toContain('good: true banned: true')
  expect(stdout).toMatch(/to dial: [0-9a-f]{40}@198\.51\.100\.\d:26656/)
  expect(stdout).toContain('to share: 4 addresses')
})
