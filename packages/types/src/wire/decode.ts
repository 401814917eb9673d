import { DecodeError } from '../errors.js'

/** A generated protobuf type: only its decoder is needed here. */
interface Decodable<T> {
  decode(bytes: Uint8Array): T
}

/**
 * Decodes `bytes` as `type`, turning any protobufjs failure (truncated data,
 * bad wire type, runaway nesting) into a {@link DecodeError} naming `what`.
 */
export function decodeProto<T>(type: Decodable<T>, bytes: Uint8Array, what: string): T {
  try {
    return type.decode(bytes)
  } catch (err) {
    throw new DecodeError(`malformed ${what}: ${(err as Error).message}`, { cause: err })
  }
}

/**
 * A decoded `bytes` field as a plain `Uint8Array` view: protobufjs hands out
 * Node `Buffer`s (and a shared `Buffer` default for empty fields), which
 * callers should not have to tell apart from plain arrays.
 */
export function plainBytes(value: Uint8Array | null | undefined): Uint8Array {
  if (value === null || value === undefined || value.length === 0) return new Uint8Array(0)
  if (Object.getPrototypeOf(value) === Uint8Array.prototype) return value
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
}
