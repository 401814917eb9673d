import { CometError } from '@comet-p2p/types'

// One class per way a secret connection can fail. Peers that misbehave are
// reported with these; the underlying stream is always destroyed with them.
// Timeouts and aborts use TimeoutError / AbortError from @comet-p2p/types.

/** The peer's ephemeral X25519 public key is not 32 bytes long. */
export class EphemeralKeyLengthError extends CometError {
  static readonly code = 'ERR_SC_EPHEMERAL_KEY_LENGTH'
  /** Length of the key the peer sent. */
  readonly length: number
  constructor(length: number) {
    super(EphemeralKeyLengthError.code, `remote ephemeral public key must be 32 bytes, got ${length}`)
    this.name = 'EphemeralKeyLengthError'
    this.length = length
  }
}

/** The peer's ephemeral key is a low-order point: the X25519 shared secret is all zeros. */
export class LowOrderPointError extends CometError {
  static readonly code = 'ERR_SC_LOW_ORDER_POINT'
  constructor(message = 'remote ephemeral public key is a low-order point') {
    super(LowOrderPointError.code, message)
    this.name = 'LowOrderPointError'
  }
}

/** A handshake message (ephemeral key or AuthSigMessage) is malformed or over the size limit. */
export class HandshakeMessageError extends CometError {
  static readonly code = 'ERR_SC_MALFORMED_HANDSHAKE_MESSAGE'
  constructor(message: string, options?: ErrorOptions) {
    super(HandshakeMessageError.code, message, options)
    this.name = 'HandshakeMessageError'
  }
}

/** The peer authenticated with a key type other than ed25519 (e.g. secp256k1). */
export class UnsupportedKeyTypeError extends CometError {
  static readonly code = 'ERR_SC_UNSUPPORTED_KEY_TYPE'
  /** The key type the peer presented. */
  readonly keyType: string
  constructor(keyType: string) {
    super(UnsupportedKeyTypeError.code, `expected an ed25519 public key, got ${keyType}`)
    this.name = 'UnsupportedKeyTypeError'
    this.keyType = keyType
  }
}

/** The peer's signature of the handshake challenge does not verify with the key it presented. */
export class InvalidAuthSignatureError extends CometError {
  static readonly code = 'ERR_SC_INVALID_SIGNATURE'
  constructor(message = 'challenge verification failed') {
    super(InvalidAuthSignatureError.code, message)
    this.name = 'InvalidAuthSignatureError'
  }
}

/** The peer authenticated as a different node than the one dialed. */
export class RemoteIdMismatchError extends CometError {
  static readonly code = 'ERR_SC_REMOTE_ID_MISMATCH'
  readonly expected: string
  readonly actual: string
  constructor(expected: string, actual: string) {
    super(RemoteIdMismatchError.code, `expected peer ${expected}, but it authenticated as ${actual}`)
    this.name = 'RemoteIdMismatchError'
    this.expected = expected
    this.actual = actual
  }
}

/** A sealed frame failed authentication: it was tampered with, corrupted or replayed. */
export class FrameAuthenticationError extends CometError {
  static readonly code = 'ERR_SC_FRAME_AUTHENTICATION'
  constructor(message = 'failed to decrypt frame: message authentication failed') {
    super(FrameAuthenticationError.code, message)
    this.name = 'FrameAuthenticationError'
  }
}

/** A frame decrypted correctly but its length field exceeds 1024. */
export class FrameLengthError extends CometError {
  static readonly code = 'ERR_SC_FRAME_LENGTH'
  readonly length: number
  constructor(length: number) {
    super(FrameLengthError.code, `frame length field ${length} exceeds the maximum of 1024`)
    this.name = 'FrameLengthError'
    this.length = length
  }
}

/** The stream ended in the middle of a sealed frame after the handshake. */
export class TruncatedFrameError extends CometError {
  static readonly code = 'ERR_SC_TRUNCATED_FRAME'
  constructor(buffered: number) {
    super(TruncatedFrameError.code, `stream ended inside a sealed frame (${buffered} of 1044 bytes received)`)
    this.name = 'TruncatedFrameError'
  }
}

/** The peer ended or closed the stream before the handshake completed. */
export class HandshakeEofError extends CometError {
  static readonly code = 'ERR_SC_HANDSHAKE_EOF'
  constructor(message = 'the stream ended before the handshake completed') {
    super(HandshakeEofError.code, message)
    this.name = 'HandshakeEofError'
  }
}

/**
 * A nonce counter reached 2^64 - 1: sealing or opening one more frame would
 * reuse a nonce, so the connection stops instead (the reference panics).
 */
export class NonceExhaustedError extends CometError {
  static readonly code = 'ERR_SC_NONCE_EXHAUSTED'
  constructor(direction: 'send' | 'receive') {
    super(NonceExhaustedError.code, `${direction} nonce counter exhausted; the connection must be re-established`)
    this.name = 'NonceExhaustedError'
  }
}

/** The underlying stream failed (reset, write error...); the original error is the `cause`. */
export class TransportError extends CometError {
  static readonly code = 'ERR_SC_TRANSPORT'
  constructor(message: string, options?: ErrorOptions) {
    super(TransportError.code, message, options)
    this.name = 'TransportError'
  }
}

/** The handshake failed for a local reason, e.g. the identity's `sign` threw; see `cause`. */
export class HandshakeFailedError extends CometError {
  static readonly code = 'ERR_SC_HANDSHAKE_FAILED'
  constructor(message: string, options?: ErrorOptions) {
    super(HandshakeFailedError.code, message, options)
    this.name = 'HandshakeFailedError'
  }
}

/** The requested crypto backend cannot be used here (e.g. `sodium-native` is not installed). */
export class BackendUnavailableError extends CometError {
  static readonly code = 'ERR_SC_BACKEND_UNAVAILABLE'
  constructor(backend: string, options?: ErrorOptions) {
    super(BackendUnavailableError.code, `crypto backend "${backend}" is not available`, options)
    this.name = 'BackendUnavailableError'
  }
}
