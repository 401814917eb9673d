import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import type { AeadCipher, CryptoBackend } from './backend.js'

/**
 * Pure JavaScript backend on `@noble/ciphers`: always available, audited,
 * the slowest of the three. Noble writes into the caller's buffers, so it
 * allocates nothing per frame beyond its own small internals.
 */
export const nobleBackend: CryptoBackend = {
  name: 'noble',
  createCipher(key: Uint8Array): AeadCipher {
    const k = Uint8Array.from(key)
    return {
      seal(nonce, plaintext, out) {
        chacha20poly1305(k, nonce).encrypt(plaintext, out)
      },
      open(nonce, sealed, out) {
        try {
          chacha20poly1305(k, nonce).decrypt(sealed, out)
          return true
        } catch {
          return false
        }
      }
    }
  }
}
