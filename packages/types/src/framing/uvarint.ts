import { InvalidArgumentError, InvalidLengthPrefixError } from '../errors.js'

/** The most bytes an unsigned 64-bit varint can take. */
export const MAX_UVARINT_LENGTH = 10

/** Number of bytes `value` takes as an unsigned varint. */
export function uvarintLength(value: number): number {
  assertUvarintValue(value)
  let length = 1
  while (value >= 0x80) {
    value = Math.floor(value / 0x80)
    length++
  }
  return length
}

/** Writes `value` as an unsigned varint into `target` at `offset`; returns the offset after it. */
export function writeUvarint(value: number, target: Uint8Array, offset: number): number {
  assertUvarintValue(value)
  while (value >= 0x80) {
    target[offset++] = (value % 0x80) | 0x80
    value = Math.floor(value / 0x80)
  }
  target[offset++] = value
  return offset
}

/** The unsigned varint encoding of `value`. */
export function encodeUvarint(value: number): Uint8Array {
  const out = new Uint8Array(uvarintLength(value))
  writeUvarint(value, out, 0)
  return out
}

/** A decoded varint and the number of bytes it took. */
export interface UvarintResult {
  value: number
  length: number
}

/**
 * Reads an unsigned varint from `source` at `offset`. Returns `undefined` when
 * the bytes end before the varint does; throws {@link InvalidLengthPrefixError}
 * when it is longer than 10 bytes or larger than `Number.MAX_SAFE_INTEGER`.
 */
export function readUvarint(source: Uint8Array, offset = 0): UvarintResult | undefined {
  let value = 0
  let scale = 1
  for (let i = 0; i < MAX_UVARINT_LENGTH; i++) {
    const byte = source[offset + i]
    if (byte === undefined) return undefined
    value += (byte & 0x7f) * scale
    if (value > Number.MAX_SAFE_INTEGER) throw new InvalidLengthPrefixError('uvarint value exceeds 2^53 - 1')
    if (byte < 0x80) return { value, length: i + 1 }
    scale *= 0x80
  }
  throw new InvalidLengthPrefixError(`uvarint longer than ${MAX_UVARINT_LENGTH} bytes`)
}

function assertUvarintValue(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`uvarint value must be a non-negative safe integer, got ${value}`)
  }
}
