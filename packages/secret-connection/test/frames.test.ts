import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '@comet-p2p/types'
import {
  FRAME_PLAINTEXT_SIZE,
  FrameAuthenticationError,
  FrameLengthError,
  FrameNonce,
  FrameOpener,
  FrameSealer,
  NonceExhaustedError,
  SEALED_FRAME_SIZE,
  sealedLength
} from '../src/index.js'
import { concat, testBackends } from './support/vectors.js'

const MAX = (1n << 64n) - 1n

describe('FrameNonce', () => {
  it('is 4 zero bytes and a little-endian counter', () => {
    const nonce = new FrameNonce('send', 0x0102030405060708n)
    expect(Buffer.from(nonce.next()).toString('hex')).toBe('000000000807060504030201')
    expect(nonce.counter).toBe(0x0102030405060709n)
  })

  it('carries into the high word', () => {
    const nonce = new FrameNonce('send', 0xffffffffn)
    nonce.next()
    expect(Buffer.from(nonce.next()).toString('hex')).toBe('000000000000000001000000')
  })

  it('uses 2^64 - 1 once, then refuses instead of wrapping', () => {
    const nonce = new FrameNonce('receive', MAX)
    expect(Buffer.from(nonce.next()).toString('hex')).toBe('00000000ffffffffffffffff')
    expect(nonce.exhausted).toBe(true)
    expect(() => nonce.next()).toThrow(NonceExhaustedError)
  })

  it('rejects counters outside 64 bits', () => {
    expect(() => new FrameNonce('send', 1n << 64n)).toThrow(InvalidArgumentError)
    expect(() => new FrameNonce('send', -1n)).toThrow(InvalidArgumentError)
  })
})

for (const { name, backend } of testBackends()) {
  describe(`frames [${name}]`, () => {
    const key = randomBytes(32)

    it('seals each write into ceil(n / 1024) frames of 1044 bytes, nothing for an empty write', () => {
      const sealer = new FrameSealer(backend.createCipher(key))
      for (const n of [0, 1, 1023, 1024, 1025, 3000]) {
        expect(sealer.seal(new Uint8Array(n)).length).toBe(sealedLength(n))
      }
      expect(sealedLength(0)).toBe(0)
      expect(sealedLength(1025)).toBe(2 * SEALED_FRAME_SIZE)
    })

    it('always zero-pads, even after a longer frame', () => {
      const cipher = backend.createCipher(key)
      const sealer = new FrameSealer(cipher)
      const sealed = concat([sealer.seal(new Uint8Array(1024).fill(0xaa)), sealer.seal(Uint8Array.of(7))])
      const plain = new Uint8Array(FRAME_PLAINTEXT_SIZE)
      const nonce = new FrameNonce('receive')
      expect(cipher.open(nonce.next(), sealed.subarray(0, SEALED_FRAME_SIZE), plain)).toBe(true)
      expect(cipher.open(nonce.next(), sealed.subarray(SEALED_FRAME_SIZE), plain)).toBe(true)
      expect(Array.from(plain.subarray(0, 5))).toEqual([1, 0, 0, 0, 7])
      expect(plain.subarray(5).every((b) => b === 0)).toBe(true)
    })

    it('ignores whatever padding the peer sends', () => {
      const cipher = backend.createCipher(key)
      const plain = new Uint8Array(FRAME_PLAINTEXT_SIZE).fill(0x55)
      plain.set([3, 0, 0, 0, 9, 8, 7], 0)
      const sealed = new Uint8Array(SEALED_FRAME_SIZE)
      cipher.seal(new FrameNonce('send').next(), plain, sealed)
      const opener = new FrameOpener(backend.createCipher(key))
      const got: number[] = []
      opener.openAll(sealed, (p) => got.push(...p))
      expect(got).toEqual([9, 8, 7])
    })

    it('rejects a tampered frame, a replayed frame and a length field over 1024', () => {
      const sealer = new FrameSealer(backend.createCipher(key))
      const frame = sealer.seal(Uint8Array.of(1, 2, 3))
      const tampered = frame.slice()
      tampered[100]! ^= 1
      expect(() => new FrameOpener(backend.createCipher(key)).openAll(tampered, () => undefined)).toThrow(
        FrameAuthenticationError
      )
      const replay = new FrameOpener(backend.createCipher(key))
      replay.openAll(frame, () => undefined)
      expect(() => replay.openAll(frame, () => undefined)).toThrow(FrameAuthenticationError)
      // A correctly sealed frame whose length field says 1025.
      const cipher = backend.createCipher(key)
      const plain = new Uint8Array(FRAME_PLAINTEXT_SIZE)
      new DataView(plain.buffer).setUint32(0, 1025, true)
      const sealed = new Uint8Array(SEALED_FRAME_SIZE)
      cipher.seal(new FrameNonce('send').next(), plain, sealed)
      const opener = new FrameOpener(backend.createCipher(key))
      expect(() => opener.openAll(sealed, () => undefined)).toThrow(FrameLengthError)
      // Once failed, always failed.
      expect(() => opener.openAll(new Uint8Array(1), () => undefined)).toThrow(FrameLengthError)
    })

    it('accepts zero-length frames', () => {
      const cipher = backend.createCipher(key)
      const sealed = new Uint8Array(SEALED_FRAME_SIZE)
      cipher.seal(new FrameNonce('send').next(), new Uint8Array(FRAME_PLAINTEXT_SIZE), sealed)
      const opener = new FrameOpener(backend.createCipher(key))
      const end = opener.next(sealed, 0)
      expect(end).toBe(SEALED_FRAME_SIZE)
      expect(opener.payload?.length).toBe(0)
    })

    it('stops at nonce exhaustion on both sides', () => {
      const sealer = new FrameSealer(backend.createCipher(key), new FrameNonce('send', MAX))
      const frame = sealer.seal(Uint8Array.of(1))
      expect(() => sealer.seal(Uint8Array.of(2))).toThrow(NonceExhaustedError)
      const opener = new FrameOpener(backend.createCipher(key), new FrameNonce('receive', MAX))
      opener.openAll(frame, () => undefined)
      expect(() => opener.openAll(frame, () => undefined)).toThrow(NonceExhaustedError)
    })
  })
}
