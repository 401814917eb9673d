/**
 * @packageDocumentation
 * The CometBFT secret connection: the station-to-station handshake that
 * authenticates a peer by its ed25519 node key, then ChaCha20-Poly1305
 * sealed frames, over any Node.js duplex stream. Wire-compatible with
 * CometBFT v0.34.
 */
export { makeSecretConnection } from './make-secret-connection.js'
export type { SecretConnectionOptions } from './make-secret-connection.js'
export { SecretConnection } from './secret-connection.js'
export type { SecretConnectionInit } from './secret-connection.js'
export {
  EphemeralKeyLengthError,
  LowOrderPointError,
  HandshakeMessageError,
  UnsupportedKeyTypeError,
  InvalidAuthSignatureError,
  RemoteIdMismatchError,
  FrameAuthenticationError,
  FrameLengthError,
  TruncatedFrameError,
  HandshakeEofError,
  NonceExhaustedError,
  TransportError,
  HandshakeFailedError,
  BackendUnavailableError
} from './errors.js'
export type { AeadCipher, CryptoBackend, BackendName } from './crypto/backend.js'
export { availableBackends, getBackend, resolveBackend, BACKEND_PREFERENCE } from './crypto/select.js'
export { Handshake } from './handshake/handshake.js'
export type { HandshakeOptions, HandshakeStep, HandshakeSecrets, HandshakeResult } from './handshake/handshake.js'
export { FrameSealer, sealedLength } from './frames/sealer.js'
export { FrameOpener } from './frames/opener.js'
export { FrameNonce } from './frames/nonce.js'
export { MerlinTranscript } from './merlin/index.js'
export { deriveSecrets } from './kdf.js'
export type { DerivedSecrets } from './kdf.js'
export {
  MAX_FRAME_PAYLOAD,
  SEALED_FRAME_SIZE,
  FRAME_PLAINTEXT_SIZE,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MAX_HANDSHAKE_MESSAGE_SIZE,
  DEFAULT_HIGH_WATER_MARK
} from './constants.js'
