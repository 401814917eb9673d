import { DelimitedDecoder, decodePacket, encodeDelimited, encodePacket, MessageTooLargeError, type Packet } from '@comet-p2p/types'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MalformedPacketError, PacketTooLargeError } from '../src/index.js'
import { FrameReader } from '../src/frame-reader.js'
import { copyMessage } from '../src/message-copy.js'
import { delimitedPacketMsgSize, maxPacketMsgSize, uvarintSize, eofPayloadLimit, writePacketMsg, writePing, writePong } from '../src/packet-codec.js'
import { decodePacketInto, newDecodedPacket, PacketKind } from '../src/packet-decoder.js'

const packetArb: fc.Arbitrary<Packet> = fc.oneof(
  fc.constant<Packet>({ type: 'ping' }),
  fc.constant<Packet>({ type: 'pong' }),
  fc.record({
    type: fc.constant('msg' as const),
    channelId: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
    eof: fc.boolean(),
    data: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 100, maxLength: 3000 }))
  })
)

function encodeFast(packet: Packet): Uint8Array {
  const buf = new Uint8Array(packet.type === 'msg' ? delimitedPacketMsgSize(packet.channelId, packet.eof, packet.data.length) : 3)
  let end: number
  if (packet.type === 'ping') end = writePing(buf, 0)
  else if (packet.type === 'pong') end = writePong(buf, 0)
  else end = writePacketMsg(buf, 0, packet.channelId, packet.eof, packet.data, 0, packet.data.length)
  expect(end).toBe(buf.length)
  return buf
}

function decodeFast(proto: Uint8Array): Packet | undefined {
  const d = newDecodedPacket()
  decodePacketInto(proto, 0, proto.length, d)
  switch (d.kind) {
    case PacketKind.Ping:
      return { type: 'ping' }
    case PacketKind.Pong:
      return { type: 'pong' }
    case PacketKind.Msg:
      return { type: 'msg', channelId: d.channelId, eof: d.eof, data: new Uint8Array(proto.subarray(d.dataStart, d.dataEnd)) }
    default:
      return undefined
  }
}

describe('hand-written packet codec', () => {
  it('encodes every packet exactly like protobufjs', () => {
    fc.assert(
      fc.property(packetArb, (packet) => {
        expect(encodeFast(packet)).toEqual(encodeDelimited(encodePacket(packet)))
      }),
      { numRuns: 500 }
    )
  })

  it('decodes every packet exactly like protobufjs', () => {
    fc.assert(
      fc.property(packetArb, (packet) => {
        const proto = encodePacket(packet)
        expect(decodeFast(proto)).toEqual(decodePacket(proto))
        expect(decodeFast(proto)).toEqual(packet)
      }),
      { numRuns: 500 }
    )
  })

  it('skips unknown fields like protobufjs', () => {
    // Unknown fields of every wire type, inserted before the packet.
    const unknown = fc.constantFrom('2001', '29' + '00'.repeat(8), '32' + '03616263', '3d' + '00'.repeat(4), '230801' + '24', '4a00')
    fc.assert(
      fc.property(packetArb, unknown, (packet, prefixHex) => {
        const proto = Uint8Array.from([...Buffer.from(prefixHex, 'hex'), ...encodePacket(packet)])
        expect(decodeFast(proto)).toEqual(decodePacket(proto))
      }),
      { numRuns: 200 }
    )
  })

  it('never throws anything but MalformedPacketError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeFast(bytes)
        } catch (err) {
          expect(err).toBeInstanceOf(MalformedPacketError)
        }
      }),
      { numRuns: 2000 }
    )
  })

  it('agrees with protobufjs on random variant bodies whenever both accept them', () => {
    // protobufjs skips known fields with a wrong wire type where gogo (and
    // we) fail, so only the packets both accept are compared.
    let compared = 0
    fc.assert(
      fc.property(fc.constantFrom(0x0a, 0x12, 0x1a), fc.uint8Array({ maxLength: 40 }), (tag, body) => {
        const bytes = Uint8Array.from([tag, body.length, ...body])
        let ours: Packet | undefined
        let theirs: Packet | undefined
        try {
          ours = decodeFast(bytes)
          theirs = decodePacket(bytes)
        } catch {
          return
        }
        compared++
        expect(ours).toEqual(theirs)
      }),
      { numRuns: 3000 }
    )
    expect(compared).toBeGreaterThan(100)
  })

  it('follows gogo/protobuf where protobufjs is lax', () => {
    const decode = (hex: string): Packet | undefined => decodeFast(Buffer.from(hex, 'hex'))
    expect(() => decode('0801')).toThrow('wrong wireType = 0 for field PacketPing')
    expect(() => decode('1a03100108')).toThrow(MalformedPacketError) // truncated varint inside PacketMsg
    expect(() => decode('1a021802')).toThrow('wrong wireType = 0 for field Data')
    expect(() => decode('0a0124')).toThrow(/end group/)
    expect(() => decode('0400')).toThrow(/end group/)
    expect(() => decode('0700')).toThrow('illegal tag 0')
    expect(() => decode('2f00')).toThrow(/illegal wireType 7/)
    expect(() => decode('0f00')).toThrow('wrong wireType = 7 for field PacketPing')
    expect(() => decode('0a01')).toThrow('unexpected EOF')
    expect(() => decode('1a0b08' + 'ff'.repeat(10))).toThrow(/overflow|EOF/)
    // Last variant on the wire wins; a later PacketMsg replaces an earlier one whole.
    expect(decode('12000a00')).toEqual({ type: 'ping' })
    expect(decode('1a020830' + '1a02' + '1001')).toEqual({ type: 'msg', channelId: 0, eof: true, data: new Uint8Array(0) })
    // int32 channel ids keep the low 32 bits of the varint, as in Go.
    expect(decode('1a0608b0808080 10'.replace(' ', '').replace(/10$/, '10'))).toEqual({ type: 'msg', channelId: 0x30, eof: false, data: new Uint8Array(0) })
    expect(decode('')).toBeUndefined()
  })

  it('computes the reference receive limit and keeps high channels under it', () => {
    expect(maxPacketMsgSize(1024)).toBe(1034)
    expect(eofPayloadLimit(0x7f, 1024)).toBe(1024)
    expect(eofPayloadLimit(0x80, 1024)).toBe(1023)
    expect(delimitedPacketMsgSize(0xff, true, eofPayloadLimit(0xff, 1024)) - 2).toBe(1034)
    expect(delimitedPacketMsgSize(0xff, false, 1024) - 2).toBe(1033)
    expect(eofPayloadLimit(0x80, 1)).toBe(0)
    for (let max = 1; max < 3000; max++) {
      for (const ch of [0, 1, 0x7f, 0x80, 0xff]) {
        const limit = maxPacketMsgSize(max)
        expect(delimitedPacketMsgSize(ch, false, max) - uvarintSize(limit)).toBeLessThanOrEqual(limit)
        expect(delimitedPacketMsgSize(ch, true, eofPayloadLimit(ch, max)) - uvarintSize(limit)).toBeLessThanOrEqual(limit)
      }
    }
  })
})

describe('FrameReader', () => {
  const framesArb = fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 30 })

  it('splits any chunking of any frames like DelimitedDecoder', () => {
    fc.assert(
      fc.property(framesArb, fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 40 }), (frames, cuts) => {
        const wire = Buffer.concat(frames.map((f) => encodeDelimited(f)))
        const reader = new FrameReader(300)
        const reference = new DelimitedDecoder({ maxMessageSize: 300 })
        const ours: Uint8Array[] = []
        const theirs: Uint8Array[] = []
        let offset = 0
        let i = 0
        while (offset < wire.length) {
          const size = cuts[i++ % cuts.length] as number
          const chunk = wire.subarray(offset, offset + size)
          offset += size
          reader.push(chunk, (buf, start, end) => {
            ours.push(buf.slice(start, end))
            return true
          })
          theirs.push(...reference.push(chunk).map((m) => m.slice()))
        }
        expect(ours.map((m) => Buffer.from(m))).toEqual(frames.map((f) => Buffer.from(f)))
        expect(theirs.map((m) => Buffer.from(m))).toEqual(ours.map((m) => Buffer.from(m)))
        expect(reader.bufferedBytes).toBe(0)
      }),
      { numRuns: 300 }
    )
  })

  it('rejects an oversized prefix as soon as it shows, like DelimitedDecoder', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1035, max: 2 ** 40 }), (length) => {
        const prefix = encodeDelimited(new Uint8Array(0)).subarray(0, 0)
        void prefix
        const bytes: number[] = []
        let v = length
        while (v >= 0x80) {
          bytes.push((v % 0x80) | 0x80)
          v = Math.floor(v / 0x80)
        }
        bytes.push(v)
        const reader = new FrameReader(1034)
        expect(() => reader.push(Uint8Array.from(bytes), () => true)).toThrow(PacketTooLargeError)
        expect(() => new DelimitedDecoder({ maxMessageSize: 1034 }).push(Uint8Array.from(bytes))).toThrow(MessageTooLargeError)
      })
    )
    expect(() => new FrameReader(1034).push(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), () => true)).toThrow(
      MalformedPacketError
    )
  })
})

describe('copyMessage', () => {
  it('returns independent plain copies of any size', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 2000 }), { maxLength: 40 }), (sources) => {
        const copies = sources.map((s) => copyMessage(s, 0, s.length))
        copies.forEach((c, i) => {
          expect(Object.getPrototypeOf(c)).toBe(Uint8Array.prototype)
          expect(Buffer.from(c).equals(Buffer.from(sources[i]!))).toBe(true)
          c.fill(0xee) // writing one copy must not touch any other
        })
        copies.forEach((c) => expect(c.every((b) => b === 0xee)).toBe(true))
      })
    )
  })
})
