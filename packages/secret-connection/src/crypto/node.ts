import { createCipheriv, createDecipheriv, createSecretKey } from 'node:crypto'
import { AEAD_TAG_SIZE } from '../constants.js'
import type { AeadCipher, CryptoBackend } from './backend.js'

const ALGORITHM = 'chacha20-poly1305'
const OPTIONS = { authTagLength: AEAD_TAG_SIZE } as const

/**
 * `node:crypto` (OpenSSL) backend: always available in Node. OpenSSL itself
 * is fast, but Node needs a new cipher object per nonce and returns fresh
 * buffers, which costs a few microseconds per frame.
 */
export const nodeBackend: CryptoBackend = {
  name: 'node',
  createCipher(key: Uint8Array): AeadCipher {
    const secret = createSecretKey(Uint8Array.from(key))
    return {
      seal(nonce, plaintext, out) {
        const cipher = createCipheriv(ALGORITHM, secret, nonce, OPTIONS)
        const body = cipher.update(plaintext)
        const tail = cipher.final()
        out.set(body, 0)
        if (tail.length > 0) out.set(tail, body.length)
        out.set(cipher.getAuthTag(), plaintext.length)
      },
      open(nonce, sealed, out) {
        const textLength = sealed.length - AEAD_TAG_SIZE
        if (textLength < 0) return false
        try {
          const decipher = createDecipheriv(ALGORITHM, secret, nonce, OPTIONS)
          decipher.setAuthTag(sealed.subarray(textLength))
          const body = decipher.update(sealed.subarray(0, textLength))
          // final() throws when the tag does not verify: only then is `body` trusted.
          const tail = decipher.final()
          out.set(body, 0)
          if (tail.length > 0) out.set(tail, body.length)
          return true
        } catch {
          return false
        }
      }
    }
  }
}
