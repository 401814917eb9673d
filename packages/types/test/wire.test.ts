import fc from 'fast-check'
import { fromHex, loadVector, toHex } from '@comet-p2p/testing'
import { describe, expect, it } from 'vitest'
import {
  DecodeError,
  DelimitedDecoder,
  decodeAuthSigMessage,
  decodeBytesValue,
  decodeDelimited,
  decodePacket,
  decodePexMessage,
  encodeAuthSigMessage,
  encodeBytesValue,
  encodeDelimited,
  encodePacket,
  encodePexMessage,
  type Packet,
  type PexMessage
} from '../src/index.js'

interface VectorPacket {
  type: 'ping' | 'pong' | 'msg'
  channel_id?: number
  eof?: boolean
  data_hex?: string
}
interface PacketsFile {
  max_packet_msg_size: number
  cases: Array<{ name: string; packet: VectorPacket; proto_hex: string; delimited_hex: string }>
  message_split: Array<{ name: string; channel_id: number; message_hex: string; packets: Array<{ packet: VectorPacket }>; wire_hex: string }>
}
interface PexFile {
  cases: Array<{ name: string; message: { type: 'pex_request' | 'pex_addrs'; addrs?: Array<{ id: string; ip: string; port: number }> }; proto_hex: string; packet_delimited_hex: string }>
  invalid: Array<{ name: string; proto_hex: string; reactor_receive_error: string | null }>
}

function toPacket(p: VectorPacket): Packet {
  if (p.type !== 'msg') return { type: p.type }
  return { type: 'msg', channelId: p.channel_id ?? 0, eof: p.eof ?? false, data: fromHex(p.data_hex ?? '') }
}

const packets = loadVector<PacketsFile>('packets.json')
const pex = loadVector<PexFile>('pex.json')

describe('packets.json', () => {
  for (const c of packets.cases) {
    it(`${c.name}: encodes and decodes byte for byte`, () => {
      const packet = toPacket(c.packet)
      expect(toHex(encodePacket(packet))).toBe(c.proto_hex)
      expect(toHex(encodeDelimited(encodePacket(packet)))).toBe(c.delimited_hex)
      expect(decodePacket(decodeDelimited(fromHex(c.delimited_hex), 2048))).toEqual(packet)
    })
  }

  for (const s of packets.message_split) {
    it(`${s.name}: the split wire decodes to the recorded packets`, () => {
      const decoded = new DelimitedDecoder({ maxMessageSize: packets.max_packet_msg_size })
        .push(fromHex(s.wire_hex))
        .map(decodePacket)
      expect(decoded).toEqual(s.packets.map((p) => toPacket(p.packet)))
    })
  }

  it('an empty packet is a DecodeError', () => {
    expect(() => decodePacket(new Uint8Array(0))).toThrow(DecodeError)
  })
})

describe('pex.json', () => {
  for (const c of pex.cases) {
    it(`${c.name}: encodes and decodes byte for byte`, () => {
      const message: PexMessage =
        c.message.type === 'pex_request' ? { type: 'pex_request' } : { type: 'pex_addrs', addrs: c.message.addrs ?? [] }
      const proto = encodePexMessage(message)
      expect(toHex(proto)).toBe(c.proto_hex)
      expect(toHex(encodeDelimited(encodePacket({ type: 'msg', channelId: 0, eof: true, data: proto })))).toBe(
        c.packet_delimited_hex
      )
      expect(decodePexMessage(fromHex(c.proto_hex))).toEqual(message)
    })
  }

  for (const c of pex.invalid) {
    if (c.reactor_receive_error === null) {
      it(`${c.name}: decodes (the reactor rejects its content)`, () => {
        expect(decodePexMessage(fromHex(c.proto_hex)).type).toBe('pex_addrs')
      })
    } else {
      it(`${c.name}: is a DecodeError`, () => {
        expect(() => decodePexMessage(fromHex(c.proto_hex))).toThrow(DecodeError)
      })
    }
  }
})

describe('secret connection messages', () => {
  const sc = loadVector<{ cases: Array<{ a: { ephemeral_pub_hex: string }; a_to_b_hex: string }> }>('secret-connection.json')
  it('the ephemeral key travels as a delimited BytesValue', () => {
    for (const c of sc.cases) {
      const first = fromHex(c.a_to_b_hex).subarray(0, 35)
      expect(toHex(encodeDelimited(encodeBytesValue(fromHex(c.a.ephemeral_pub_hex))))).toBe(toHex(first))
      expect(toHex(decodeBytesValue(decodeDelimited(first, 64)))).toBe(c.a.ephemeral_pub_hex)
    }
  })

  it('an AuthSigMessage with an ed25519 key is 103 bytes delimited', () => {
    const message = { pubKey: { type: 'ed25519' as const, bytes: new Uint8Array(32).fill(7) }, sig: new Uint8Array(64).fill(9) }
    const encoded = encodeDelimited(encodeAuthSigMessage(message))
    expect(encoded.length).toBe(103)
    expect(decodeAuthSigMessage(decodeDelimited(encoded, 1024))).toEqual(message)
  })

  it('an AuthSigMessage without a key is a DecodeError', () => {
    expect(() => decodeAuthSigMessage(Uint8Array.from([0x12, 0x01, 0x00]))).toThrow(DecodeError)
  })
})

const bytes = (max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max }).map((b) => Uint8Array.from(b))
const packetArb: fc.Arbitrary<Packet> = fc.oneof(
  fc.constant<Packet>({ type: 'ping' }),
  fc.constant<Packet>({ type: 'pong' }),
  fc.record({
    type: fc.constant('msg' as const),
    channelId: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    eof: fc.boolean(),
    data: bytes(2048)
  })
)
const pexArb: fc.Arbitrary<PexMessage> = fc.oneof(
  fc.constant<PexMessage>({ type: 'pex_request' }),
  fc.record({
    type: fc.constant('pex_addrs' as const),
    addrs: fc.array(fc.record({ id: fc.string(), ip: fc.string(), port: fc.nat({ max: 2 ** 32 - 1 }) }), { maxLength: 20 })
  })
)

describe('wire round trips (property)', () => {
  it('Packet', () => {
    fc.assert(fc.property(packetArb, (p) => {
      expect(decodePacket(encodePacket(p))).toEqual(p)
    }))
  })
  it('PEX Message', () => {
    fc.assert(fc.property(pexArb, (m) => {
      expect(decodePexMessage(encodePexMessage(m))).toEqual(m)
    }))
  })
  it('AuthSigMessage', () => {
    fc.assert(
      fc.property(fc.constantFrom('ed25519' as const, 'secp256k1' as const), bytes(40), bytes(80), (type, key, sig) => {
        const m = { pubKey: { type, bytes: key }, sig }
        expect(decodeAuthSigMessage(encodeAuthSigMessage(m))).toEqual(m)
      })
    )
  })
  it('BytesValue', () => {
    fc.assert(fc.property(bytes(100), (v) => {
      expect(decodeBytesValue(encodeBytesValue(v))).toEqual(v)
    }))
  })
  it('decoders throw only DecodeError on random bytes', () => {
    const decoders = [decodePacket, decodePexMessage, decodeAuthSigMessage, decodeBytesValue]
    fc.assert(
      fc.property(bytes(200), (input) => {
        for (const decode of decoders) {
          try {
            decode(input)
          } catch (err) {
            expect(err).toBeInstanceOf(DecodeError)
          }
        }
      }),
      { numRuns: 2000 }
    )
  })
})
