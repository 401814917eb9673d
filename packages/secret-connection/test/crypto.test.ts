import { randomBytes } from 'node:crypto'
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import { InvalidArgumentError, NodeKey, verifyEd25519 } from '@comet-p2p/types'
import { fromHex, loadVector } from '@comet-p2p/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { verifyEd25519Signature } from '../src/crypto/ed25519.js'
import { ephemeralKeyPairFromSecret, generateEphemeralKeyPair, x25519SharedSecret } from '../src/crypto/x25519.js'
import { BACKEND_PREFERENCE, availableBackends, getBackend, resolveBackend, type CryptoBackend } from '../src/index.js'

interface KeysFile {
  cases: { seed_hex: string; pub_key_hex: string; sample_signature: { message_hex: string; signature_hex: string } }[]
}

describe('X25519 through node:crypto', () => {
  it('agrees with @noble/curves on random keys, including unclamped secrets and high-bit public keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (secret, peerSecret) => {
        const pair = ephemeralKeyPairFromSecret(secret)
        expect(Buffer.from(pair.publicKey).equals(Buffer.from(x25519.getPublicKey(secret)))).toBe(true)
        const peer = x25519.getPublicKey(peerSecret)
        peer[31]! |= 0x80
        const ours = x25519SharedSecret(pair.privateKey, peer)
        expect(ours).toBeDefined()
        expect(Buffer.from(ours!).equals(Buffer.from(x25519.getSharedSecret(secret, peer)))).toBe(true)
      }),
      { numRuns: 25 }
    )
  })

  it('draws fresh keys and reports low-order points as undefined', () => {
    const a = generateEphemeralKeyPair()
    const b = generateEphemeralKeyPair()
    expect(Buffer.from(a.publicKey).equals(Buffer.from(b.publicKey))).toBe(false)
    expect(Buffer.from(x25519SharedSecret(a.privateKey, b.publicKey)!).equals(Buffer.from(x25519SharedSecret(b.privateKey, a.publicKey)!))).toBe(true)
    expect(x25519SharedSecret(a.privateKey, new Uint8Array(32))).toBeUndefined()
    expect(() => x25519SharedSecret(a.privateKey, new Uint8Array(31))).toThrow(InvalidArgumentError)
    expect(() => ephemeralKeyPairFromSecret(new Uint8Array(16))).toThrow(InvalidArgumentError)
  })
})

describe('ed25519 verification through node:crypto', () => {
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

  it('agrees with the @comet-p2p/types verifier on valid and damaged signatures', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.boolean(), (message, at, damage) => {
        const key = NodeKey.generate()
        const sig = key.sign(message)
        if (damage) sig[at % 64]! ^= 1 << (at % 8)
        expect(verifyEd25519Signature(key.publicKey, message, sig)).toBe(verifyEd25519(key.publicKey, message, sig))
      }),
      { numRuns: 30 }
    )
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
