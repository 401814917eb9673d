import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DecodeError,
  InvalidArgumentError,
  DelimitedDecoder,
  InvalidLengthPrefixError,
  MessageTooLargeError,
  decodeDelimited,
  encodeDelimited,
  encodeUvarint,
  readUvarint,
  uvarintLength
} from '../src/index.js'

describe('uvarint', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'],
    [1034, '8a08'],
    [2 ** 32, '8080808010'],
    [Number.MAX_SAFE_INTEGER, 'ffffffffffffff0f']
  ])('%d encodes as %s', (value, hex) => {
    const bytes = encodeUvarint(value)
    expect(Buffer.from(bytes).toString('hex')).toBe(hex)
    expect(uvarintLength(value)).toBe(bytes.length)
    expect(readUvarint(bytes)).toEqual({ value, length: bytes.length })
  })

  it('reports an incomplete varint as undefined', () => {
    expect(readUvarint(new Uint8Array([0x80, 0x80]))).toBeUndefined()
  })

  it('rejects an 11-byte varint and values above 2^53', () => {
    expect(() => readUvarint(new Uint8Array(11).fill(0x80))).toThrow(InvalidLengthPrefixError)
    expect(() => readUvarint(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))).toThrow(
      InvalidLengthPrefixError
    )
  })

  it('refuses to encode negative or fractional values', () => {
    expect(() => encodeUvarint(-1)).toThrow(InvalidArgumentError)
    expect(() => encodeUvarint(1.5)).toThrow(InvalidArgumentError)
  })

  it('round-trips any safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(readUvarint(encodeUvarint(n))).toEqual({ value: n, length: uvarintLength(n) })
      })
    )
  })
})

describe('decodeDelimited', () => {
  it('takes exactly one message', () => {
    expect(decodeDelimited(Uint8Array.from([2, 9, 8]), 10)).toEqual(Uint8Array.from([9, 8]))
  })
  it('rejects short, long and oversized input with typed errors', () => {
    expect(() => decodeDelimited(Uint8Array.from([3, 9, 8]), 10)).toThrow(DecodeError)
    expect(() => decodeDelimited(Uint8Array.from([1, 9, 8]), 10)).toThrow(DecodeError)
    expect(() => decodeDelimited(Uint8Array.from([]), 10)).toThrow(DecodeError)
    expect(() => decodeDelimited(Uint8Array.from([11]), 10)).toThrow(MessageTooLargeError)
  })
})

describe('DelimitedDecoder', () => {
  it('yields messages split across chunks, including empty ones', () => {
    const decoder = new DelimitedDecoder({ maxMessageSize: 100 })
    const wire = Uint8Array.from([0, 3, 1, 2, 3, 0, 1, 7])
    const out: number[][] = []
    for (const byte of wire) for (const m of decoder.push(Uint8Array.of(byte))) out.push([...m])
    expect(out).toEqual([[], [1, 2, 3], [], [7]])
    expect(decoder.bufferedBytes).toBe(0)
  })

  it('returns a view of the chunk when the message lies inside it', () => {
    const chunk = Uint8Array.from([2, 5, 6])
    const [message] = new DelimitedDecoder({ maxMessageSize: 10 }).push(chunk)
    expect(message?.buffer).toBe(chunk.buffer)
  })

  it('refuses an oversized prefix before the prefix ends and before allocating', () => {
    const decoder = new DelimitedDecoder({ maxMessageSize: 1000 })
    // 0xff 0xff ... announces at least 16383 after two bytes: fails on the second byte.
    expect(() => decoder.push(Uint8Array.from([0xff, 0xff]))).toThrow(MessageTooLargeError)
    expect(decoder.bufferedBytes).toBeLessThanOrEqual(2)
  })

  it('refuses a prefix longer than 10 bytes', () => {
    const decoder = new DelimitedDecoder({ maxMessageSize: Number.MAX_SAFE_INTEGER })
    expect(() => decoder.push(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))).toThrow(
      InvalidLengthPrefixError
    )
  })

  it('stays failed after an error', () => {
    const decoder = new DelimitedDecoder({ maxMessageSize: 1 })
    expect(() => decoder.push(Uint8Array.of(5))).toThrow(MessageTooLargeError)
    expect(() => decoder.push(Uint8Array.of(0))).toThrow(MessageTooLargeError)
  })

  it('rejects a bad maxMessageSize', () => {
    expect(() => new DelimitedDecoder({ maxMessageSize: -1 })).toThrow(/maxMessageSize/)
  })

  it('gives the same messages for any split of the input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 30 }),
        (messages, cuts) => {
          const wire = Buffer.concat(messages.map(encodeDelimited))
          const decoder = new DelimitedDecoder({ maxMessageSize: 300 })
          const out: Uint8Array[] = []
          let offset = 0
          let i = 0
          while (offset < wire.length) {
            const size = cuts[i++ % cuts.length]!
            out.push(...decoder.push(wire.subarray(offset, offset + size)).map((m) => Uint8Array.from(m)))
            offset += size
          }
          expect(out).toEqual(messages.map((m) => Uint8Array.from(m)))
        }
      )
    )
  })

  it('throws only typed errors on random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }), fc.integer({ min: 0, max: 2000 }), (chunks, max) => {
        const decoder = new DelimitedDecoder({ maxMessageSize: max })
        try {
          for (const chunk of chunks) for (const m of decoder.push(chunk)) expect(m.length).toBeLessThanOrEqual(max)
        } catch (err) {
          expect(err instanceof MessageTooLargeError || err instanceof InvalidLengthPrefixError).toBe(true)
        }
        expect(decoder.bufferedBytes).toBeLessThanOrEqual(max + 10)
      })
    )
  })
})
