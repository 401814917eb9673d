import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { pairOver, rechunkedPair, sameMessages, waitFor } from './helpers.js'

const channels = [
  { id: 0x00, priority: 1, sendQueueCapacity: 3 },
  { id: 0x30, priority: 5, sendQueueCapacity: 1 },
  { id: 0x81, priority: 2, sendQueueCapacity: 2 },
  { id: 0xff, priority: 1, sendQueueCapacity: 1 }
]

const sendArb = fc.record({
  channel: fc.constantFrom(...channels.map((c) => c.id)),
  size: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1000, max: 1100 }), fc.integer({ min: 2000, max: 9000 })),
  fill: fc.integer({ min: 0, max: 255 }),
  fromA: fc.boolean()
})

describe('property: any sends arrive intact over any chunking', () => {
  it('holds for random messages, channels, directions, payload sizes and transport chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(sendArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 1024 }),
        fc.constantFrom(0, 1, 5),
        async (sends, cuts, maxPayload, flushThrottleMs) => {
          let k = 0
          const cut = (length: number): number[] => {
            const out: number[] = []
            for (let taken = 0; taken < length; ) {
              const size = cuts[k++ % cuts.length] as number
              out.push(size)
              taken += size
            }
            return out
          }
          const config = { maxPacketMsgPayloadSize: maxPayload, flushThrottleMs }
          const [a, b] = pairOver(rechunkedPair(cut), channels, { config })
          const messages = sends.map((s, i) => {
            const m = new Uint8Array(s.size).fill(s.fill)
            if (m.length > 0) m[0] = i & 0xff
            return m
          })
          await Promise.all(
            sends.map(async (s, i) => {
              const from = s.fromA ? a : b
              expect(await from.conn.send(s.channel, messages[i] as Uint8Array)).toBe(true)
            })
          )
          const toB = sends.filter((s) => s.fromA).length
          const toA = sends.length - toB
          await waitFor(() => b.received.length === toB && a.received.length === toA, 5000, 'every message')
          for (const [receiver, fromA] of [
            [b, true],
            [a, false]
          ] as const) {
            for (const c of channels) {
              const want = sends.flatMap((s, i) => (s.fromA === fromA && s.channel === c.id ? [messages[i] as Uint8Array] : []))
              const got = receiver.received.filter((r) => r.channelId === c.id).map((r) => r.message)
              expect(sameMessages(got, want)).toBe(true)
            }
          }
          expect([...a.errors, ...b.errors]).toEqual([])
          await Promise.all([a.conn.stop(), b.conn.stop()])
        }
      ),
      { numRuns: 40 }
    )
  })
})
