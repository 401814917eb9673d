import { createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { InvalidNodeKeyError } from '../errors.js'
import { ED25519_PUBLIC_KEY_LENGTH, nodeIdFromPubKey, type NodeId } from './node-id.js'

/** Length of an ed25519 seed (the secret half of a node key) in bytes. */
export const ED25519_SEED_LENGTH = 32

/** Length of an ed25519 signature in bytes. */
export const ED25519_SIGNATURE_LENGTH = 64

/**
 * What the secret connection needs from a node's identity: its public key
 * and a way to sign the handshake challenge. {@link NodeKey} implements it;
 * a remote signer can too.
 */
export interface NodeIdentity {
  /** The 32-byte ed25519 public key. */
  readonly publicKey: Uint8Array
  /** The node ID derived from the public key. */
  readonly id: NodeId
  /** Signs `message` with the ed25519 private key (64-byte signature). */
  sign(message: Uint8Array): Uint8Array
}

/**
 * A node's persistent ed25519 identity. Its ID (see {@link nodeIdFromPubKey})
 * is what peers use in `id@host:port` addresses.
 */
export class NodeKey implements NodeIdentity {
  readonly publicKey: Uint8Array
  readonly id: NodeId
  readonly #seed: Uint8Array
  /** The same key for node:crypto, which signs several times faster than JavaScript ed25519. */
  #keyObject: KeyObject | undefined

  private constructor(seed: Uint8Array) {
    this.#seed = Uint8Array.from(seed)
    this.publicKey = ed25519.getPublicKey(this.#seed)
    this.id = nodeIdFromPubKey(this.publicKey)
  }

  /** A new key from a cryptographically secure random seed. */
  static generate(): NodeKey {
    return new NodeKey(ed25519.utils.randomSecretKey())
  }

  /** The key whose ed25519 seed (32 bytes) is `seed`. */
  static fromSeed(seed: Uint8Array): NodeKey {
    if (seed.length !== ED25519_SEED_LENGTH) {
      throw new InvalidNodeKeyError(`ed25519 seed must be ${ED25519_SEED_LENGTH} bytes, got ${seed.length}`)
    }
    return new NodeKey(seed)
  }

  /**
   * The key stored in the reference 64-byte layout (seed followed by public
   * key). The public half must match the seed, so a damaged key is refused
   * rather than yielding an identity that peers would reject.
   */
  static fromPrivateKey(privateKey: Uint8Array): NodeKey {
    if (privateKey.length !== ED25519_SEED_LENGTH + ED25519_PUBLIC_KEY_LENGTH) {
      throw new InvalidNodeKeyError(
        `ed25519 private key must be ${ED25519_SEED_LENGTH + ED25519_PUBLIC_KEY_LENGTH} bytes, got ${privateKey.length}`
      )
    }
    const key = new NodeKey(privateKey.subarray(0, ED25519_SEED_LENGTH))
    if (!equalBytes(key.publicKey, privateKey.subarray(ED25519_SEED_LENGTH))) {
      throw new InvalidNodeKeyError('the public half of the ed25519 private key does not match its seed')
    }
    return key
  }

  /** The private key in the reference 64-byte layout: seed || public key. A fresh copy. */
  privateKeyBytes(): Uint8Array {
    const out = new Uint8Array(ED25519_SEED_LENGTH + ED25519_PUBLIC_KEY_LENGTH)
    out.set(this.#seed, 0)
    out.set(this.publicKey, ED25519_SEED_LENGTH)
    return out
  }

  /** Signs `message` (deterministic ed25519, 64 bytes). */
  sign(message: Uint8Array): Uint8Array {
    this.#keyObject ??= createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, this.#seed]), format: 'der', type: 'pkcs8' })
    const signature = nodeSign(null, message, this.#keyObject)
    return new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength)
  }

  /** Verifies an ed25519 signature made by this key. */
  verify(message: Uint8Array, signature: Uint8Array): boolean {
    return verifyEd25519(this.publicKey, message, signature)
  }
}

/** Verifies an ed25519 `signature` of `message` by `publicKey`; false (never a throw) for malformed input. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_LENGTH || signature.length !== ED25519_SIGNATURE_LENGTH) return false
  try {
    return ed25519.verify(signature, message, publicKey)
  } catch {
    return false
  }
}

/** DER header of a PKCS#8 ed25519 private key; the 32-byte seed follows it. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return diff === 0
}
