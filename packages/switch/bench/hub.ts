/*
 * Memory benchmark: one switch dials every address given on stdin (one per
 * line) and holds the peers idle. Prints "RESULT {json}" with the resident
 * memory before and after, then exits. Run with --expose-gc.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { NetAddress } from '@comet-p2p/types'
import { benchSwitch } from './common.js'

const input = await new Promise<string>((resolve) => {
  let text = ''
  process.stdin.on('data', (chunk: Buffer) => (text += chunk.toString()))
  process.stdin.on('end', () => resolve(text))
})
const addrs = input
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => NetAddress.fromString(line.trim()))

const gc = (globalThis as { gc?: () => void }).gc
async function settle(): Promise<{ rss: number; heap: number }> {
  for (let i = 0; i < 3; i++) {
    gc?.()
    await sleep(200)
  }
  const usage = process.memoryUsage()
  return { rss: usage.rss, heap: usage.heapUsed + usage.external }
}

const sw = benchSwitch()
await sw.transport.listen({ host: '127.0.0.1', port: 0 })
await sw.start()
// Warm up the code paths (crypto, codecs) with one peer, measured from there.
const first = addrs.shift()!
await sw.dialPeerWithAddress(first)
const before = await settle()
const CONCURRENCY = 32
let next = 0
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < addrs.length) await sw.dialPeerWithAddress(addrs[next++]!)
  })
)
if (sw.peers().size !== addrs.length + 1) throw new Error(`only ${sw.peers().size} peers`)
await sleep(1000)
const after = await settle()
const peers = addrs.length
process.stdout.write(
  `RESULT ${JSON.stringify({ peers, rssKB: (after.rss - before.rss) / 1024 / peers, heapKB: (after.heap - before.heap) / 1024 / peers })}\n`
)
await sw.stop()
process.exit(0)
