import { createPublicKey, verify } from 'node:crypto'
import { ED25519_PUBLIC_KEY_LENGTH, ED25519_SIGNATURE_LENGTH } from '@comet-p2p/types'

/**
 * Verifies an ed25519 signature with node:crypto (OpenSSL, RFC 8032,
 * cofactorless like Go's crypto/ed25519 that the reference uses). About ten
 * times faster than the JavaScript verifier in `@comet-p2p/types`, which
 * dominates handshake cost otherwise. False, never a throw, for malformed
 * keys or signatures.
 */
export function verifyEd25519Signature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_LENGTH || signature.length !== ED25519_SIGNATURE_LENGTH) return false
  try {
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
      format: 'jwk'
    })
    return verify(null, message, key, signature)
  } catch {
    return false
  }
}
