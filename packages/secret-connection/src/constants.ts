/** Bytes of the little-endian length field at the start of every frame's plaintext. */
export const FRAME_LENGTH_FIELD_SIZE = 4

/** Most application bytes one frame carries. */
export const MAX_FRAME_PAYLOAD = 1024

/** Plaintext size of every frame: length field, payload, zero padding. */
export const FRAME_PLAINTEXT_SIZE = FRAME_LENGTH_FIELD_SIZE + MAX_FRAME_PAYLOAD

/** Size of the Poly1305 authentication tag appended to each sealed frame. */
export const AEAD_TAG_SIZE = 16

/** Size of every sealed frame on the wire (1044 bytes). */
export const SEALED_FRAME_SIZE = FRAME_PLAINTEXT_SIZE + AEAD_TAG_SIZE

/** ChaCha20-Poly1305 key size. */
export const AEAD_KEY_SIZE = 32

/** ChaCha20-Poly1305 (IETF) nonce size. */
export const AEAD_NONCE_SIZE = 12

/** Size of an X25519 public key, private key and shared secret. */
export const X25519_KEY_SIZE = 32

/** Default handshake time limit, 20 s: the default of `handshake_timeout` in CometBFT's config.toml (the v0.34 transport itself applies a fixed 3 s). */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 20_000

/**
 * Default limit on each length-delimited handshake message (the ephemeral key
 * and the AuthSigMessage): 1 KiB. The reference reads both with a 1 MiB
 * limit, but a valid ephemeral key message is 34 bytes and a valid
 * AuthSigMessage 102, and a peer announcing 1 MiB and then trickling bytes
 * made each pending handshake hold a 1 MiB buffer. 1 KiB leaves ten times the
 * room any valid message needs, so every reference peer is still accepted.
 */
export const DEFAULT_MAX_HANDSHAKE_MESSAGE_SIZE = 1024

/** Default readable and writable buffer size of a SecretConnection. */
export const DEFAULT_HIGH_WATER_MARK = 64 * 1024
