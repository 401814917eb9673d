/**
 * Fuzzing the decoders of @comet-p2p/types that peer bytes reach:
 * length-delimited framing, packets, PEX messages and NodeInfo. Random and
 * mutated input must give a typed error or a valid value, never a crash,
 * and memory must stay bounded by the configured limits.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CometError,
  DelimitedDecoder,
  decodeDelimited,
  decodeNodeInfo,
  decodePacket,
  decodePexMessage,
  encodeDelimited,
  encodeNodeInfo,
  encodePacket,
  encodePexMessage,
  validateNodeInfo,
  NodeKey,
  type NodeInfo
} from '@comet-p2p/types'
import { chunked, mutate, params, typed } from './runs.js'

const bytes = (max = 2048) => fc.uint8Array({ maxLength: max })

describe('length-delimited framing', () => {
  it('random streams in random chunks: typed errors only, buffered bytes bounded', () => {
    fc.assert(
      fc.property(bytes(4096), fc.array(fc.nat(), { maxLength: 20 }), fc.integer({ min: 0, max: 2048 }), (stream, cuts, max) => {
        const decoder = new DelimitedDecoder({ maxMessageSize: max })
        for (const chunk of chunked(stream, cuts)) {
          const result = typed(() => decoder.push(chunk))
          if (result instanceof CometError) return
          for (const m of result) expect(m.length).toBeLessThanOrEqual(max)
          expect(decoder.bufferedBytes).toBeLessThanOrEqual(max + 10)
        }
      }),
      params
    )
  })

  it('valid streams in random chunks give back exactly the messages', () => {
    fc.assert(
      fc.property(fc.array(bytes(3000), { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 30 }), (messages, cuts) => {
        const stream = Buffer.concat(messages.map((m) => encodeDelimited(m)))
        const decoder = new DelimitedDecoder({ maxMessageSize: 3000 })
        const out = chunked(stream, cuts).flatMap((chunk) => decoder.push(chunk).map((m) => Buffer.from(m)))
        expect(out.map((m) => m.toString('hex'))).toEqual(messages.map((m) => Buffer.from(m).toString('hex')))
        expect(decoder.bufferedBytes).toBe(0)
      }),
      params
    )
  })

  it('decodeDelimited: typed error or a message within the limit', () => {
    fc.assert(
      fc.property(bytes(), fc.nat(4096), (input, max) => {
        const result = typed(() => decodeDelimited(input, max))
        if (!(result instanceof CometError)) expect(result.length).toBeLessThanOrEqual(max)
      }),
      params
    )
  })
})

const packetArb = fc.oneof(
  fc.constant({ type: 'ping' as const }),
  fc.constant({ type: 'pong' as const }),
  fc.record({ type: fc.constant('msg' as const), channelId: fc.integer({ min: 0, max: 255 }), eof: fc.boolean(), data: bytes(1024) })
)

describe('packets', () => {
  it('random and mutated packets: typed error or a packet that re-encodes', () => {
    fc.assert(
      fc.property(fc.oneof(bytes(1100), fc.tuple(packetArb, fc.nat(), fc.nat(255)).map(([p, i, v]) => mutate(encodePacket(p), i, v))), (input) => {
        const result = typed(() => decodePacket(input))
        if (!(result instanceof CometError)) expect(() => encodePacket(result)).not.toThrow()
      }),
      params
    )
  })
})

describe('PEX messages', () => {
  const addrArb = fc.record({ id: fc.string({ maxLength: 50 }), ip: fc.string({ maxLength: 50 }), port: fc.nat(70000) })
  const pexArb = fc.oneof(
    fc.constant({ type: 'pex_request' as const }),
    fc.record({ type: fc.constant('pex_addrs' as const), addrs: fc.array(addrArb, { maxLength: 20 }) })
  )
  it('random and mutated messages: typed error or a message', () => {
    fc.assert(
      fc.property(fc.oneof(bytes(), fc.tuple(pexArb, fc.nat(), fc.nat(255)).map(([m, i, v]) => mutate(encodePexMessage(m), i, v))), (input) => {
        const result = typed(() => decodePexMessage(input))
        if (!(result instanceof CometError)) expect(['pex_request', 'pex_addrs']).toContain(result.type)
      }),
      params
    )
  })

  it('valid messages round-trip', () => {
    fc.assert(
      fc.property(pexArb, (message) => {
        expect(decodePexMessage(encodePexMessage(message))).toEqual(message)
      }),
      params
    )
  })
})

describe('NodeInfo', () => {
  const key = NodeKey.generate()
  const valid: NodeInfo = {
    protocolVersion: { p2p: 8, block: 11, app: 0 },
    id: key.id,
    listenAddr: 'tcp://127.0.0.1:26656',
    network: 'chain',
    version: '0.34.27',
    channels: Uint8Array.of(0x00, 0x20, 0x30),
    moniker: 'node',
    other: { txIndex: 'on', rpcAddress: 'tcp://0.0.0.0:26657' }
  }
  const encoded = encodeNodeInfo(valid)

  it('random and mutated encodings: typed error or a NodeInfo that validates or fails validation with a typed error', () => {
    fc.assert(
      fc.property(
        fc.oneof(bytes(), fc.tuple(fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 })).map(([ms]) => ms.reduce((b, [i, v]) => mutate(b, i, v), encoded)), fc.nat(encoded.length).map((n) => encoded.subarray(0, n))),
        (input) => {
          const info = typed(() => decodeNodeInfo(input))
          if (info instanceof CometError) return
          typed(() => validateNodeInfo(info))
        }
      ),
      params
    )
  })

  it('the valid encoding decodes to the same NodeInfo', () => {
    expect(decodeNodeInfo(encoded)).toEqual(valid)
  })
})
