/**
 * Fuzzing the MConnection's own packet decoder (hand-written, not the
 * protobufjs one) through its public API: random bytes must end the
 * connection with a typed error; valid packet streams in any chunking must
 * deliver exactly the messages that the reference codec (`decodePacket`
 * from @comet-p2p/types) reassembles.
 */
import { Duplex } from 'node:stream'
import { setImmediate as tick } from 'node:timers/promises'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MConnection, maxPacketMsgSize } from '@comet-p2p/mconnection'
import { CometError, encodeDelimited, encodePacket, type Packet } from '@comet-p2p/types'
import { chunked, params } from './runs.js'

const CHANNELS = [0, 1, 0x30, 0xff]
const CAPACITY = 8192

class Feed extends Duplex {
  override _read(): void {}
  override _write(_chunk: Buffer, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    cb()
  }
}

async function feed(chunks: Uint8Array[]): Promise<{ messages: { channelId: number; hex: string }[]; errors: unknown[] }> {
  const stream = new Feed()
  const messages: { channelId: number; hex: string }[] = []
  const errors: unknown[] = []
  const conn = new MConnection(
    stream,
    CHANNELS.map((id) => ({ id, priority: 1, recvMessageCapacity: CAPACITY, recvBufferCapacity: 1 << 20 })),
    {
      onReceive: (channelId, message) => {
        messages.push({ channelId, hex: Buffer.from(message).toString('hex') })
      },
      onError: (error) => errors.push(error),
      config: { recvRate: 0, sendRate: 0, pingIntervalMs: 60_000, pongTimeoutMs: 30_000 }
    }
  )
  conn.start()
  for (const chunk of chunks) {
    stream.push(Buffer.from(chunk))
    await tick()
  }
  await tick()
  await tick()
  conn.destroy()
  return { messages, errors }
}

const packetArb: fc.Arbitrary<Packet> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Packet>({ type: 'ping' }) },
  { weight: 1, arbitrary: fc.constant<Packet>({ type: 'pong' }) },
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('msg' as const),
      channelId: fc.constantFrom(...CHANNELS),
      eof: fc.boolean(),
      // Full pieces are frequent: on channels >= 0x80 a final 1024-byte piece is a 1035-byte packet.
      data: fc.oneof(fc.uint8Array({ maxLength: 1024 }), fc.uint8Array({ minLength: 1020, maxLength: 1024 }))
    })
  }
)

/** The messages a receiver must deliver for `packets`, reassembled with the reference codec's view of them. */
function oracle(packets: Packet[]): { channelId: number; hex: string }[] | 'over-capacity' | 'too-large' {
  const partial = new Map<number, Buffer[]>()
  const out: { channelId: number; hex: string }[] = []
  for (const p of packets) {
    if (p.type !== 'msg') continue
    // The reference receive limit for 1024-byte payloads (maxPacketMsgSize).
    if (encodePacket(p).length > maxPacketMsgSize(1024)) return 'too-large'
    const parts = partial.get(p.channelId) ?? []
    parts.push(Buffer.from(p.data))
    const size = parts.reduce((n, b) => n + b.length, 0)
    if (size > CAPACITY) return 'over-capacity'
    if (p.eof) {
      out.push({ channelId: p.channelId, hex: Buffer.concat(parts).toString('hex') })
      partial.delete(p.channelId)
    } else partial.set(p.channelId, parts)
  }
  return out
}

describe('MConnection packet decoding', () => {
  it('random bytes: a typed error or nothing, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(), { maxLength: 8 }), async (input, cuts) => {
        const { errors } = await feed(chunked(input, cuts))
        for (const e of errors) expect(e).toBeInstanceOf(CometError)
      }),
      params
    )
  })

  it('valid packet streams in any chunking deliver exactly the reassembled messages', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(packetArb, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 20 }), async (packets, cuts) => {
        const stream = Buffer.concat(packets.map((p) => encodeDelimited(encodePacket(p))))
        const { messages, errors } = await feed(chunked(stream, cuts))
        const expected = oracle(packets)
        if (expected === 'too-large') {
          expect(errors.length).toBe(1)
          expect((errors[0] as CometError).code).toBe('ERR_PACKET_TOO_LARGE')
          return
        }
        if (expected === 'over-capacity') {
          expect(errors.length).toBe(1)
          expect((errors[0] as CometError).code).toBe('ERR_MESSAGE_OVER_CAPACITY')
          return
        }
        expect(errors).toEqual([])
        expect(messages).toEqual(expected)
      }),
      params
    )
  })
})
