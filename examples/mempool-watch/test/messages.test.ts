import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import protobuf from 'protobufjs'
import { describe, expect, it } from 'vitest'
import { decodeNewRoundStep, decodeTxsMessage, encodeNewRoundStep, encodeTxsMessage } from '../src/messages.js'
import { ProtobufError } from '../src/protobuf.js'

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'))
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

const protoFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'proto', 'messages.proto')
const root = protobuf.parse(readFileSync(protoFile, 'utf8'), { keepCase: true }).root
const MempoolMessage = root.lookupType('tendermint.mempool.Message')
const ConsensusMessage = root.lookupType('tendermint.mempool.ConsensusMessage')

describe('mempool Txs message', () => {
  it('decodes bytes built by hand', () => {
    // Message{ txs(1): Txs{ txs(1): 01 02, txs(1): ff } }
    expect(decodeTxsMessage(hex('0a07 0a020102 0a01ff'))).toEqual([hex('0102'), hex('ff')])
    // An empty transaction, and no transaction at all.
    expect(decodeTxsMessage(hex('0a02 0a00'))).toEqual([new Uint8Array(0)])
    expect(decodeTxsMessage(hex('0a00'))).toEqual([])
    // Unknown fields (a varint 2, a fixed64 3) are skipped.
    expect(decodeTxsMessage(hex('1001 0a03 0a0141 190102030405060708'))).toEqual([hex('41')])
  })

  it('encodes to the same bytes', () => {
    expect(toHex(encodeTxsMessage([hex('0102'), hex('ff')]))).toBe('0a070a0201020a01ff')
    expect(toHex(encodeTxsMessage([]))).toBe('0a00')
  })

  it('refuses what is not one', () => {
    expect(() => decodeTxsMessage(hex(''))).toThrow(ProtobufError)
    expect(() => decodeTxsMessage(hex('0a05 0a03'))).toThrow(/past the end/)
    expect(() => decodeTxsMessage(hex('0a'))).toThrow(/truncated varint/)
    expect(() => decodeTxsMessage(hex('0801'))).toThrow(/Message.txs is not length-delimited/)
    expect(() => decodeTxsMessage(hex('1001'))).toThrow(/not a mempool Txs message/)
    expect(() => decodeTxsMessage(hex('0b'))).toThrow(/wire type 3/)
  })

  it('agrees with protobufjs on random transactions', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (txs) => {
        const theirs = MempoolMessage.encode({ txs: { txs } }).finish()
        expect(decodeTxsMessage(theirs).map((tx) => Uint8Array.from(tx))).toEqual(txs)
        const decoded = MempoolMessage.toObject(MempoolMessage.decode(encodeTxsMessage(txs)), { defaults: true }) as { txs: { txs: Uint8Array[] } }
        expect(decoded.txs.txs.map((tx) => Uint8Array.from(tx))).toEqual(txs)
      })
    )
  })
})

describe('consensus NewRoundStep', () => {
  it('round-trips bytes built by hand, negative last commit round included', () => {
    // Message{ new_round_step(1): { height 5, step 1, last_commit_round -1 } }
    const bytes = hex('0a0f 0805 1801 28ffffffffffffffffff01')
    expect(decodeNewRoundStep(bytes)).toEqual({ height: 5, round: 0, step: 1, secondsSinceStartTime: 0, lastCommitRound: -1 })
    expect(toHex(encodeNewRoundStep({ height: 5, round: 0, step: 1, secondsSinceStartTime: 0, lastCommitRound: -1 }))).toBe(toHex(bytes))
    // Another variant (HasVote, field 7) is not ours.
    expect(decodeNewRoundStep(hex('3a020801'))).toBeUndefined()
  })

  it('agrees with protobufjs', () => {
    fc.assert(
      fc.property(
        fc.record({
          height: fc.integer({ min: 0, max: 2 ** 40 }),
          round: fc.integer({ min: 0, max: 1000 }),
          step: fc.integer({ min: 1, max: 8 }),
          secondsSinceStartTime: fc.integer({ min: -1000, max: 100_000 }),
          lastCommitRound: fc.integer({ min: -1, max: 1000 })
        }),
        (step) => {
          const theirs = ConsensusMessage.encode({
            new_round_step: {
              height: step.height,
              round: step.round,
              step: step.step,
              seconds_since_start_time: step.secondsSinceStartTime,
              last_commit_round: step.lastCommitRound
            }
          }).finish()
          expect(toHex(encodeNewRoundStep(step))).toBe(toHex(theirs))
          expect(decodeNewRoundStep(theirs)).toEqual(step)
        }
      )
    )
  })
})
