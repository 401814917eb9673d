import { randomBytes } from 'node:crypto'
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import { InvalidArgumentError, NodeKey, verifyEd25519 } from '@comet-p2p/types'
import { fromHex, loadVector } from '@comet-p2p/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { verifyEd25519OpenSsl, verifyEd25519Signature } from '../src/crypto/ed25519.js'
import {
  ephemeralKeyPairFromSecret,
  generateEphemeralKeyPair,
  nodeX25519,
  sodiumX25519,
  x25519 as chosenX25519,
  x25519SharedSecret
} from '../src/crypto/x25519.js'
import { BACKEND_PREFERENCE, availableBackends, getBackend, resolveBackend, type CryptoBackend } from '../src/index.js'

/** Encodings of the X25519 points of small order (libsodium's blacklist), canonical and not. */
const LOW_ORDER_POINTS = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'
].map((hex) => Uint8Array.from(Buffer.from(hex, 'hex')))

/** The ed25519 group order L, little-endian. */
const ED25519_L = Uint8Array.from(Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex'))

interface KeysFile {
  cases: { seed_hex: string; pub_key_hex: string; sample_signature: { message_hex: string; signature_hex: string } }[]
}

const x25519Impls = [nodeX25519, sodiumX25519()].filter((impl) => impl !== undefined)

for (const impl of x25519Impls) {
  describe(`X25519 through ${impl.name}`, () => {
    it('agrees with @noble/curves on random keys, including unclamped secrets and high-bit public keys', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (secret, peerSecret) => {
          const pair = impl.fromSecret(secret)
          expect(Buffer.from(pair.publicKey).equals(Buffer.from(x25519.getPublicKey(secret)))).toBe(true)
          const peer = x25519.getPublicKey(peerSecret)
          peer[31]! |= 0x80
          const ours = impl.sharedSecret(pair.privateKey, peer)
          expect(ours).toBeDefined()
          expect(Buffer.from(ours!).equals(Buffer.from(x25519.getSharedSecret(secret, peer)))).toBe(true)
        }),
        { numRuns: 25 }
      )
    })

    it('draws fresh keys and reports low-order points as undefined', () => {
      const a = impl.generate()
      const b = impl.generate()
      expect(Buffer.from(a.publicKey).equals(Buffer.from(b.publicKey))).toBe(false)
      expect(Buffer.from(impl.sharedSecret(a.privateKey, b.publicKey)!).equals(Buffer.from(impl.sharedSecret(b.privateKey, a.publicKey)!))).toBe(true)
      for (const point of LOW_ORDER_POINTS) expect(impl.sharedSecret(a.privateKey, point)).toBeUndefined()
      expect(() => impl.sharedSecret(a.privateKey, new Uint8Array(31))).toThrow(InvalidArgumentError)
      expect(() => impl.fromSecret(new Uint8Array(16))).toThrow(InvalidArgumentError)
    })
  })
}

describe('X25519 implementations', () => {
  it('the handshake uses libsodium when it loads, node:crypto otherwise, through the same functions', () => {
    expect(chosenX25519().name).toBe(sodiumX25519() === undefined ? 'node' : 'sodium')
    const a = generateEphemeralKeyPair()
    const b = ephemeralKeyPairFromSecret(randomBytes(32))
    expect(Buffer.from(x25519SharedSecret(a.privateKey, b.publicKey)!).equals(Buffer.from(x25519SharedSecret(b.privateKey, a.publicKey)!))).toBe(true)
    expect(x25519SharedSecret(a.privateKey, new Uint8Array(32))).toBeUndefined()
  })

  it('agree with each other on every key, low-order and non-canonical points included', () => {
    if (x25519Impls.length < 2) return
    const points = fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom(...LOW_ORDER_POINTS))
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), points, (secret, point) => {
        const results = x25519Impls.map((impl) => impl.sharedSecret(impl.fromSecret(secret).privateKey, point))
        const hex = results.map((r) => (r === undefined ? 'none' : Buffer.from(r).toString('hex')))
        expect(new Set(hex).size).toBe(1)
      }),
      { numRuns: 60 }
    )
  })
})

describe('ed25519 verification', () => {
  it('verifies the keys.json sample signatures', () => {
    for (const k of loadVector<KeysFile>('keys.json').cases) {
      const pub = fromHex(k.pub_key_hex)
      const msg = fromHex(k.sample_signature.message_hex)
      const sig = fromHex(k.sample_signature.signature_hex)
      expect(verifyEd25519Signature(pub, msg, sig)).toBe(true)
      sig[0]! ^= 1
      expect(verifyEd25519Signature(pub, msg, sig)).toBe(false)
    }
  })

  it('agrees with the @comet-p2p/types verifier and with OpenSSL on valid and damaged signatures', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.boolean(), (message, at, damage) => {
        const key = NodeKey.generate()
        const sig = key.sign(message)
        if (damage) sig[at % 64]! ^= 1 << (at % 8)
        const verdict = verifyEd25519Signature(key.publicKey, message, sig)
        expect(verdict).toBe(verifyEd25519(key.publicKey, message, sig))
        expect(verdict).toBe(verifyEd25519OpenSsl(key.publicKey, message, sig))
      }),
      { numRuns: 30 }
    )
  })

  it("keeps OpenSSL's verdict where libsodium is stricter: small-order keys and R, non-canonical S", () => {
    // The identity point as key and R, S = 0: the cofactorless equation holds
    // for every message. OpenSSL (and Go) accept it; libsodium refuses
    // small-order points. The verdict must be OpenSSL's.
    const identity = new Uint8Array(32)
    identity[0] = 1
    const sig = new Uint8Array(64)
    sig.set(identity, 0)
    const message = Uint8Array.of(1, 2, 3)
    expect(verifyEd25519Signature(identity, message, sig)).toBe(verifyEd25519OpenSsl(identity, message, sig))
    // S + L instead of S: same equation, non-canonical S, refused by both.
    const key = NodeKey.generate()
    const good = key.sign(message)
    const nonCanonical = good.slice()
    let carry = 0
    for (let i = 0; i < 32; i++) {
      const sum = (nonCanonical[32 + i] as number) + (ED25519_L[i] as number) + carry
      nonCanonical[32 + i] = sum & 0xff
      carry = sum >> 8
    }
    if (carry === 0) expect(verifyEd25519Signature(key.publicKey, message, nonCanonical)).toBe(false)
    expect(verifyEd25519OpenSsl(key.publicKey, message, nonCanonical)).toBe(false)
  })

  it('returns false, never throws, for malformed keys and signatures', () => {
    const key = NodeKey.generate()
    const sig = key.sign(Uint8Array.of(1))
    expect(verifyEd25519Signature(new Uint8Array(31), Uint8Array.of(1), sig)).toBe(false)
    expect(verifyEd25519Signature(key.publicKey, Uint8Array.of(1), sig.subarray(1))).toBe(false)
    expect(verifyEd25519Signature(new Uint8Array(32).fill(0xff), Uint8Array.of(1), sig)).toBe(false)
    expect(verifyEd25519Signature(randomBytes(32), Uint8Array.of(1), ed25519.sign(Uint8Array.of(1), randomBytes(32)))).toBe(false)
  })
})

describe('backend selection', () => {
  it('prefers sodium, then node, then noble', () => {
    expect(BACKEND_PREFERENCE).toEqual(['sodium', 'node', 'noble'])
    const first = availableBackends()[0]
    expect(resolveBackend(undefined).name).toBe(first)
    expect(resolveBackend('auto').name).toBe(first)
  })

  it('pins named backends and accepts custom ones', () => {
    expect(resolveBackend('node').name).toBe('node')
    expect(resolveBackend('noble').name).toBe('noble')
    const custom: CryptoBackend = { name: 'custom', createCipher: (k) => getBackend('noble')!.createCipher(k) }
    expect(resolveBackend(custom)).toBe(custom)
    expect(() => getBackend('rot13' as never)).toThrow(InvalidArgumentError)
  })

  it('loads sodium-native when it is installed', () => {
    const sodium = getBackend('sodium')
    if (sodium === undefined) {
      console.warn('[secret-connection tests] sodium-native is not installed: sodium backend tests skipped')
      return
    }
    expect(sodium.name).toBe('sodium')
    expect(availableBackends()).toContain('sodium')
  })
})
