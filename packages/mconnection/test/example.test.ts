import { activeResources, waitForNoLeaks } from '@comet-p2p/testing'
import { expect, it } from 'vitest'
import { runExample } from '../examples/two-channels.js'

it('the README example runs and cleans up', async () => {
  const before = activeResources()
  const lines: string[] = []
  const received = await runExample((line) => lines.push(line))
  expect(received).toEqual(['alice got ack vote on 0x20', 'bob got tx on 0x30', 'bob got vote on 0x20'])
  expect(lines.some((line) => line.startsWith('alice sent'))).toBe(true)
  expect(await waitForNoLeaks(before)).toEqual({})
})
