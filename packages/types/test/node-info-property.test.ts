import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DecodeError } from '../src/errors.js'
import { decodeNodeInfo, encodeNodeInfo, type NodeInfo } from '../src/node-info/index.js'

/** Any text protobuf can carry: ASCII-heavy, plus arbitrary Unicode scalar values. */
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }))
const version = fc.oneof(fc.nat(100), fc.maxSafeNat())

const nodeInfo: fc.Arbitrary<NodeInfo> = fc.record({
  protocolVersion: fc.record({ p2p: version, block: version, app: version }),
  id: text,
  listenAddr: text,
  network: text,
  version: text,
  channels: fc.uint8Array({ maxLength: 40 }),
  moniker: text,
  other: fc.record({ txIndex: text, rpcAddress: text })
})

function decodeOrDecodeError(bytes: Uint8Array): void {
  try {
    decodeNodeInfo(bytes)
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError)
  }
}

describe('NodeInfo properties', () => {
  it('decode(encode(info)) equals info', () => {
    fc.assert(
      fc.property(nodeInfo, (info) => {
        expect(decodeNodeInfo(encodeNodeInfo(info))).toEqual(info)
      })
    )
  })

  it('encoding is deterministic through a decode round trip', () => {
    fc.assert(
      fc.property(nodeInfo, (info) => {
        const bytes = encodeNodeInfo(info)
        expect(encodeNodeInfo(decodeNodeInfo(bytes))).toEqual(bytes)
      })
    )
  })

  it('decoding random bytes throws nothing but DecodeError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), decodeOrDecodeError), { numRuns: 2000 })
  })

  it('decoding corrupted encodings throws nothing but DecodeError', () => {
    const corrupted = fc
      .tuple(nodeInfo, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat())
      .map(([info, edits, cut]) => {
        const bytes = Uint8Array.from(encodeNodeInfo(info))
        for (const [at, value] of edits) bytes[at % bytes.length] = value
        return bytes.subarray(0, bytes.length - (cut % 4))
      })
    fc.assert(fc.property(corrupted, decodeOrDecodeError), { numRuns: 2000 })
  })
})
