import { createRequire } from 'node:module'
import type { AeadCipher, CryptoBackend } from './backend.js'

/** The two libsodium calls used here, as `sodium-native` exposes them (it ships no types). */
interface SodiumAead {
  crypto_aead_chacha20poly1305_ietf_encrypt(
    c: Uint8Array,
    m: Uint8Array,
    ad: Uint8Array | null,
    nsec: null,
    npub: Uint8Array,
    k: Uint8Array
  ): number
  crypto_aead_chacha20poly1305_ietf_decrypt(
    m: Uint8Array,
    nsec: null,
    c: Uint8Array,
    ad: Uint8Array | null,
    npub: Uint8Array,
    k: Uint8Array
  ): number
}

/**
 * The libsodium calls the handshake uses when they are there: X25519 key
 * generation and agreement, ed25519 verification, random bytes. Each throws
 * (sodium-native's convention) when libsodium reports a failure, except the
 * verification, which returns a boolean.
 */
export interface SodiumHandshake {
  randombytes_buf(buf: Uint8Array): void
  crypto_scalarmult_base(q: Uint8Array, n: Uint8Array): void
  crypto_scalarmult(q: Uint8Array, n: Uint8Array, p: Uint8Array): void
  crypto_sign_verify_detached(sig: Uint8Array, m: Uint8Array, pk: Uint8Array): boolean
}

let loaded: SodiumAead | null | undefined
let handshake: SodiumHandshake | null | undefined

/**
 * Loads the optional `sodium-native` addon once. Any failure (not installed,
 * no prebuilt binary for this platform, ABI mismatch) means "unavailable".
 * `createRequire` makes the CommonJS addon loadable from the ESM build.
 */
function loadSodium(): SodiumAead | null {
  if (loaded !== undefined) return loaded
  loaded = null
  try {
    // The CJS build gets import.meta.url from tsup's shim.
    const mod = createRequire(import.meta.url)('sodium-native') as Partial<SodiumAead>
    if (
      typeof mod.crypto_aead_chacha20poly1305_ietf_encrypt === 'function' &&
      typeof mod.crypto_aead_chacha20poly1305_ietf_decrypt === 'function'
    ) {
      loaded = mod as SodiumAead
    }
  } catch {
    loaded = null
  }
  return loaded
}

/**
 * The handshake primitives of `sodium-native`, or undefined when it cannot
 * be loaded (or lacks one of them).
 */
export function sodiumHandshake(): SodiumHandshake | undefined {
  if (handshake === undefined) {
    const mod = loadSodium() as Partial<SodiumHandshake> | null
    handshake =
      mod !== null &&
      typeof mod.randombytes_buf === 'function' &&
      typeof mod.crypto_scalarmult_base === 'function' &&
      typeof mod.crypto_scalarmult === 'function' &&
      typeof mod.crypto_sign_verify_detached === 'function'
        ? (mod as SodiumHandshake)
        : null
  }
  return handshake ?? undefined
}

/** True when `sodium-native` could be loaded. */
export function sodiumAvailable(): boolean {
  return loadSodium() !== null
}

/**
 * libsodium backend through `sodium-native`: the fastest by far (native
 * code, no allocation, writes straight into our buffers). Undefined when the
 * addon cannot be loaded.
 */
export function sodiumBackend(): CryptoBackend | undefined {
  const sodium = loadSodium()
  if (sodium === null) return undefined
  return {
    name: 'sodium',
    createCipher(key: Uint8Array): AeadCipher {
      const k = Uint8Array.from(key)
      return {
        seal(nonce, plaintext, out) {
          sodium.crypto_aead_chacha20poly1305_ietf_encrypt(out, plaintext, null, null, nonce, k)
        },
        open(nonce, sealed, out) {
          try {
            sodium.crypto_aead_chacha20poly1305_ietf_decrypt(out, null, sealed, null, nonce, k)
            return true
          } catch {
            return false
          }
        }
      }
    }
  }
}
