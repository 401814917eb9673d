import type { NodeId, NodeIdentity } from '@comet-p2p/types'
import type { CryptoBackend } from '../crypto/backend.js'
import type { FrameOpener } from '../frames/opener.js'
import type { FrameSealer } from '../frames/sealer.js'

/** Options of the {@link Handshake} state machine. */
export interface HandshakeOptions {
  /** Our long-term ed25519 identity; it signs the challenge. */
  identity: NodeIdentity
  /** The AEAD implementation for the frames. */
  backend: CryptoBackend
  /** Fixed ephemeral X25519 secret, for replaying recorded handshakes in tests only. */
  ephemeralPrivateKey?: Uint8Array | undefined
  /** Node ID the peer must authenticate as (the one we dialed). */
  expectedRemoteId?: NodeId | undefined
  /** Largest handshake message accepted (default 1024 bytes; the reference allows 1 MiB, see `DEFAULT_MAX_HANDSHAKE_MESSAGE_SIZE`). */
  maxMessageSize?: number | undefined
}

/** What one call of {@link Handshake.receive} did. */
export interface HandshakeStep {
  /** Input bytes used; the rest belongs to the data phase. */
  consumed: number
  /** Bytes to send to the peer now, if any. */
  send: Uint8Array | undefined
  /** True once the peer is authenticated. */
  done: boolean
}

/** The values both sides derive; exposed for tests and diagnostics. */
export interface HandshakeSecrets {
  localEphemeralPublicKey: Uint8Array
  remoteEphemeralPublicKey: Uint8Array
  localIsLeast: boolean
  dhSecret: Uint8Array
  recvKey: Uint8Array
  sendKey: Uint8Array
  challenge: Uint8Array
}

/** Everything the data phase needs once the handshake is done. */
export interface HandshakeResult {
  remotePubKey: Uint8Array
  remoteId: NodeId
  /** Seals our frames; its counter continues after the auth message. */
  sealer: FrameSealer
  /** Opens the peer's frames; its counter continues after the peer's auth message. */
  opener: FrameOpener
  /** Application bytes that shared a frame with the peer's auth message (usually none). */
  plaintext: Uint8Array
}
