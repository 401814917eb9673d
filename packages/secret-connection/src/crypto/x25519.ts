import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { InvalidArgumentError } from '@comet-p2p/types'
import { X25519_KEY_SIZE } from '../constants.js'

// X25519 through node:crypto (OpenSSL): an order of magnitude faster than a
// JavaScript implementation, which matters for handshakes per second. Keys
// are moved in and out as JWK, which OpenSSL imports without the slow
// generic decoder path.

/** An ephemeral X25519 key pair: the raw public key and the private key object. */
export interface EphemeralKeyPair {
  readonly publicKey: Uint8Array
  readonly privateKey: KeyObject
}

/** PKCS#8 header of a raw 32-byte X25519 private key (RFC 8410). */
const PKCS8_X25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20
])

function rawPublicKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' })
  if (typeof jwk.x !== 'string') throw new InvalidArgumentError('X25519 key has no public component')
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'))
}

/** A fresh random ephemeral key pair (OpenSSL's CSPRNG). */
export function generateEphemeralKeyPair(): EphemeralKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519')
  return { publicKey: rawPublicKey(publicKey), privateKey }
}

/**
 * The key pair of a given 32-byte secret (clamped on use, as RFC 7748 says).
 * For tests that replay recorded handshakes; production draws fresh keys.
 */
export function ephemeralKeyPairFromSecret(secret: Uint8Array): EphemeralKeyPair {
  if (secret.length !== X25519_KEY_SIZE) {
    throw new InvalidArgumentError(`ephemeral private key must be ${X25519_KEY_SIZE} bytes, got ${secret.length}`)
  }
  const der = new Uint8Array(PKCS8_X25519_PREFIX.length + X25519_KEY_SIZE)
  der.set(PKCS8_X25519_PREFIX, 0)
  der.set(secret, PKCS8_X25519_PREFIX.length)
  const privateKey = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
  return { publicKey: rawPublicKey(createPublicKey(privateKey)), privateKey }
}

/**
 * X25519(private, peer public). Returns undefined when the result is all
 * zeros, i.e. the peer sent a low-order point (OpenSSL refuses to derive
 * then; the explicit check covers any implementation that does not).
 */
export function x25519SharedSecret(privateKey: KeyObject, peerPublicKey: Uint8Array): Uint8Array | undefined {
  if (peerPublicKey.length !== X25519_KEY_SIZE) {
    throw new InvalidArgumentError(`X25519 public key must be ${X25519_KEY_SIZE} bytes, got ${peerPublicKey.length}`)
  }
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(peerPublicKey).toString('base64url') },
    format: 'jwk'
  })
  let secret: Uint8Array
  try {
    secret = new Uint8Array(diffieHellman({ privateKey, publicKey }))
  } catch {
    return undefined
  }
  let acc = 0
  for (const byte of secret) acc |= byte
  return acc === 0 ? undefined : secret
}
