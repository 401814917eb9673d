/**
 * Just enough protobuf for two messages: varints (up to 64 bits, negative
 * int32/int64 as ten-byte two's complement), length-delimited fields, and
 * skipping of fields we do not know.
 */

/** Bytes that are not the protobuf we expect. */
export class ProtobufError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProtobufError'
  }
}

/** Wire types: 0 varint, 1 64-bit, 2 length-delimited, 5 32-bit. */
export type WireType = 0 | 1 | 2 | 5

/** One field as read: its number, wire type, and value (a varint as bigint, bytes otherwise). */
export type Field = { number: number; wireType: 0; value: bigint } | { number: number; wireType: 1 | 2 | 5; value: Uint8Array }

/** Reads the varint at `offset`: its value (unsigned, 64 bits) and the offset after it. */
export function readVarint(bytes: Uint8Array, offset: number): { value: bigint; next: number } {
  let value = 0n
  for (let i = 0; i < 10; i++) {
    const byte = bytes[offset + i]
    if (byte === undefined) throw new ProtobufError('truncated varint')
    value |= BigInt(byte & 0x7f) << BigInt(7 * i)
    if ((byte & 0x80) === 0) return { value: BigInt.asUintN(64, value), next: offset + i + 1 }
  }
  throw new ProtobufError('varint longer than 10 bytes')
}

/** The fields of a message, in order. */
export function* fields(bytes: Uint8Array): Generator<Field> {
  let offset = 0
  while (offset < bytes.length) {
    const key = readVarint(bytes, offset)
    offset = key.next
    const number = Number(key.value >> 3n)
    const wireType = Number(key.value & 7n)
    if (number === 0) throw new ProtobufError('field number 0')
    if (wireType === 0) {
      const v = readVarint(bytes, offset)
      offset = v.next
      yield { number, wireType, value: v.value }
    } else if (wireType === 2) {
      const length = readVarint(bytes, offset)
      const start = length.next
      const end = start + Number(length.value)
      if (length.value > BigInt(bytes.length) || end > bytes.length) throw new ProtobufError('length-delimited field runs past the end')
      offset = end
      yield { number, wireType, value: bytes.subarray(start, end) }
    } else if (wireType === 1 || wireType === 5) {
      const end = offset + (wireType === 1 ? 8 : 4)
      if (end > bytes.length) throw new ProtobufError('fixed-size field runs past the end')
      yield { number, wireType, value: bytes.subarray(offset, end) }
      offset = end
    } else {
      throw new ProtobufError(`unsupported wire type ${wireType}`)
    }
  }
}

/** A varint. Negative numbers are written as 64-bit two's complement (ten bytes), as protobuf does for int32/int64. */
export function varint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value))
  const out: number[] = []
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80)
    v >>= 7n
  }
  out.push(Number(v))
  return Uint8Array.from(out)
}

/** A length-delimited field. */
export function bytesField(number: number, value: Uint8Array): Uint8Array {
  return concat([varint((number << 3) | 2), varint(value.length), value])
}

/** A varint field; proto3 leaves zero values out. */
export function varintField(number: number, value: number | bigint): Uint8Array {
  return BigInt(value) === 0n ? new Uint8Array(0) : concat([varint(number << 3), varint(value)])
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
