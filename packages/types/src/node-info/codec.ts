import $protobuf from 'protobufjs/minimal.js'
import { DecodeError, InvalidArgumentError } from '../errors.js'
import { tendermint } from '../wire/generated.js'
import type { NodeInfo, NodeInfoProtocolVersion } from './types.js'

const { DefaultNodeInfo } = tendermint.p2p

/**
 * Protobuf encoding of `info` (`tendermint.p2p.DefaultNodeInfo`), byte for
 * byte what the reference writes: empty strings, empty channels and zero
 * versions are left out, but `protocol_version` and `other` are always
 * written, even when empty, because the reference declares them non-nullable.
 * Add the uvarint length prefix for the handshake. Throws an
 * {@link InvalidArgumentError} if a protocol version is not a non-negative
 * safe integer.
 */
export function encodeNodeInfo(info: NodeInfo): Uint8Array {
  const { p2p, block, app } = info.protocolVersion
  for (const [name, value] of [['p2p', p2p], ['block', block], ['app', app]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InvalidArgumentError(`protocol version ${name} must be a non-negative safe integer, got ${value}`)
    }
  }
  return DefaultNodeInfo.encode({
    protocolVersion: { p2p, block, app },
    defaultNodeId: info.id,
    listenAddr: info.listenAddr,
    network: info.network,
    version: info.version,
    channels: info.channels,
    moniker: info.moniker,
    other: { txIndex: info.other.txIndex, rpcAddress: info.other.rpcAddress }
  }).finish()
}

/**
 * Decodes a `tendermint.p2p.DefaultNodeInfo` (without length prefix).
 * Missing fields take their zero value. Throws a {@link DecodeError} when the
 * bytes are not such a message: truncated or malformed protobuf, a string
 * that is not UTF-8, a known field with the wrong wire type (the reference
 * rejects that too, where protobufjs would skip it), or a protocol version
 * of 2^53 or more, which a JS number cannot hold exactly.
 */
export function decodeNodeInfo(bytes: Uint8Array): NodeInfo {
  let message: tendermint.p2p.DefaultNodeInfo
  try {
    // Unknown fields are kept (protobufjs drops them by default) so that
    // mistyped known fields can be recognised below.
    const reader = $protobuf.Reader.create(bytes)
    reader.discardUnknown = false
    message = DefaultNodeInfo.decode(reader)
  } catch (err) {
    throw new DecodeError(`malformed NodeInfo: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
  const pv = message.protocolVersion ?? {}
  const other = message.other ?? {}
  rejectMistypedFields(message.$unknowns, 8, 'NodeInfo')
  rejectMistypedFields(pv.$unknowns, 3, 'NodeInfo protocol_version')
  rejectMistypedFields(other.$unknowns, 2, 'NodeInfo other')
  return {
    protocolVersion: {
      p2p: safeVersion('p2p', pv.p2p),
      block: safeVersion('block', pv.block),
      app: safeVersion('app', pv.app)
    },
    id: message.defaultNodeId ?? '',
    listenAddr: message.listenAddr ?? '',
    network: message.network ?? '',
    version: message.version ?? '',
    // Copied so that the result does not keep the input buffer alive.
    channels: Uint8Array.from(message.channels ?? []),
    moniker: message.moniker ?? '',
    other: { txIndex: other.txIndex ?? '', rpcAddress: other.rpcAddress ?? '' }
  }
}

/**
 * A decoded uint64 as a safe integer. The generated typings say `number`,
 * but protobufjs hands out a `Long` ({ low, high }) whenever the `long`
 * package is installed, so both forms are accepted.
 */
function safeVersion(name: keyof NodeInfoProtocolVersion, value: unknown): number {
  let v: number
  if (value === undefined || value === null) v = 0
  else if (typeof value === 'number') v = value
  else if (typeof value === 'object' && 'low' in value && 'high' in value) {
    const { low, high } = value as { low: number; high: number }
    // Exact while high < 2^21, i.e. below 2^53; beyond that it is refused anyway.
    v = (high >>> 0) * 2 ** 32 + (low >>> 0)
  } else v = Number.NaN
  if (!Number.isSafeInteger(v)) throw new DecodeError(`NodeInfo protocol version ${name} is 2^53 or more, not supported`)
  return v
}

/**
 * protobufjs keeps a field it could not read as unknown bytes. For a field
 * number the schema knows, that means the sender used the wrong wire type.
 */
function rejectMistypedFields(unknowns: Uint8Array[] | undefined, maxKnownField: number, what: string): void {
  for (const raw of unknowns ?? []) {
    const field = readTag(raw) >>> 3
    if (field >= 1 && field <= maxKnownField) throw new DecodeError(`malformed ${what}: field ${field} has the wrong wire type`)
  }
}

/** The tag at the start of an unknown field; it fits 32 bits, protobufjs having read it already. */
function readTag(raw: Uint8Array): number {
  let tag = 0
  for (let i = 0, shift = 0; i < raw.length && i < 5; i++, shift += 7) {
    const byte = raw[i]!
    tag += (byte & 0x7f) * 2 ** shift
    if (byte < 0x80) break
  }
  return tag
}
