/**
 * The mempool message (`tendermint.mempool.Message { oneof sum { Txs txs = 1 } }`,
 * `Txs { repeated bytes txs = 1 }`) and the consensus `NewRoundStep`
 * (`tendermint.consensus.Message`, variant 1), as CometBFT v0.34 sends them.
 */
import { bytesField, concat, fields, ProtobufError, varintField } from './protobuf.js'

/** The mempool channel. */
export const MEMPOOL_CHANNEL = 0x30
/** The consensus state channel (NewRoundStep and friends). */
export const CONSENSUS_STATE_CHANNEL = 0x20

/** The transactions of a mempool `Message` (empty for a message without `txs`). Throws `ProtobufError` on bad bytes. */
export function decodeTxsMessage(bytes: Uint8Array): Uint8Array[] {
  const txs: Uint8Array[] = []
  let found = false
  for (const field of fields(bytes)) {
    if (field.number !== 1) continue
    if (field.wireType !== 2) throw new ProtobufError('Message.txs is not length-delimited')
    found = true
    for (const inner of fields(field.value)) {
      if (inner.number !== 1) continue
      if (inner.wireType !== 2) throw new ProtobufError('Txs.txs is not length-delimited')
      txs.push(inner.value)
    }
  }
  if (!found) throw new ProtobufError('not a mempool Txs message')
  return txs
}

/** A mempool `Message` carrying `txs`. */
export function encodeTxsMessage(txs: readonly Uint8Array[]): Uint8Array {
  return bytesField(1, concat(txs.map((tx) => bytesField(1, tx))))
}

/** `tendermint.consensus.NewRoundStep`. */
export interface NewRoundStep {
  height: number
  round: number
  step: number
  secondsSinceStartTime: number
  lastCommitRound: number
}

function signed(value: bigint, bits: 32 | 64): number {
  return Number(BigInt.asIntN(bits, value))
}

/** The `NewRoundStep` of a consensus `Message`, or undefined for any other variant. Throws `ProtobufError` on bad bytes. */
export function decodeNewRoundStep(bytes: Uint8Array): NewRoundStep | undefined {
  let body: Uint8Array | undefined
  for (const field of fields(bytes)) if (field.number === 1 && field.wireType === 2) body = field.value
  if (body === undefined) return undefined
  const step: NewRoundStep = { height: 0, round: 0, step: 0, secondsSinceStartTime: 0, lastCommitRound: 0 }
  for (const field of fields(body)) {
    if (field.wireType !== 0) continue
    if (field.number === 1) step.height = signed(field.value, 64)
    else if (field.number === 2) step.round = signed(field.value, 32)
    else if (field.number === 3) step.step = Number(BigInt.asUintN(32, field.value))
    else if (field.number === 4) step.secondsSinceStartTime = signed(field.value, 64)
    else if (field.number === 5) step.lastCommitRound = signed(field.value, 32)
  }
  return step
}

/** A consensus `Message` carrying `step`. */
export function encodeNewRoundStep(step: NewRoundStep): Uint8Array {
  return bytesField(
    1,
    concat([
      varintField(1, step.height),
      varintField(2, step.round),
      varintField(3, step.step),
      varintField(4, step.secondsSinceStartTime),
      varintField(5, step.lastCommitRound)
    ])
  )
}
