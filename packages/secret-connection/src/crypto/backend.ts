/** Names of the built-in ChaCha20-Poly1305 implementations. */
export type BackendName = 'sodium' | 'node' | 'noble'

/**
 * ChaCha20-Poly1305 (IETF, 12-byte nonce, no associated data) bound to one
 * key. Created once per direction, so per-frame work is only the AEAD call.
 * Buffers must not overlap unless a backend says otherwise.
 */
export interface AeadCipher {
  /**
   * Encrypts `plaintext` with `nonce` into `out`, which must be exactly
   * `plaintext.length + 16` bytes (ciphertext then tag).
   */
  seal(nonce: Uint8Array, plaintext: Uint8Array, out: Uint8Array): void
  /**
   * Authenticates and decrypts `sealed` into `out` (`sealed.length - 16`
   * bytes). Returns false, with `out` unspecified, when the tag does not
   * verify; never throws for bad input.
   */
  open(nonce: Uint8Array, sealed: Uint8Array, out: Uint8Array): boolean
}

/** A source of {@link AeadCipher}s: one of the built-in backends or your own. */
export interface CryptoBackend {
  /** Name reported as `SecretConnection.backendName`. */
  readonly name: string
  /** A cipher bound to the 32-byte `key` (the key is copied). */
  createCipher(key: Uint8Array): AeadCipher
}
