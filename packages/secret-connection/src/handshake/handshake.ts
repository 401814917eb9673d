import {
  CometError,
  DecodeError,
  ED25519_PUBLIC_KEY_LENGTH,
  InvalidArgumentError,
  decodeAuthSigMessage,
  decodeBytesValue,
  encodeAuthSigMessage,
  encodeBytesValue,
  encodeDelimited,
  nodeIdFromPubKey,
  type AuthSigMessage,
  type NodeIdentity
} from '@comet-p2p/types'
import { DEFAULT_MAX_HANDSHAKE_MESSAGE_SIZE, X25519_KEY_SIZE } from '../constants.js'
import type { CryptoBackend } from '../crypto/backend.js'
import { verifyEd25519Signature } from '../crypto/ed25519.js'
import {
  ephemeralKeyPairFromSecret,
  generateEphemeralKeyPair,
  x25519SharedSecret,
  type EphemeralKeyPair
} from '../crypto/x25519.js'
import {
  EphemeralKeyLengthError,
  HandshakeFailedError,
  HandshakeMessageError,
  InvalidAuthSignatureError,
  LowOrderPointError,
  RemoteIdMismatchError,
  UnsupportedKeyTypeError
} from '../errors.js'
import { FrameOpener } from '../frames/opener.js'
import { FrameSealer } from '../frames/sealer.js'
import { deriveSecrets } from '../kdf.js'
import { DelimitedMessageReader } from './message-reader.js'
import { compareBytes, computeChallenge, sortKeys } from './transcript.js'
import type { HandshakeOptions, HandshakeResult, HandshakeSecrets, HandshakeStep } from './types.js'

export type { HandshakeOptions, HandshakeResult, HandshakeSecrets, HandshakeStep } from './types.js'

type State = 'new' | 'ephemeral' | 'auth' | 'done' | 'failed'

/**
 * The secret connection handshake as a pure state machine over bytes, with
 * no I/O: feed it what the peer sends and send what it returns. It is the
 * station-to-station protocol of the reference:
 *
 * 1. {@link start} returns our ephemeral X25519 key as a delimited BytesValue.
 * 2. The peer's key arrives; {@link receive} derives the shared secret, the
 *    Merlin challenge and the frame keys, and returns our sealed
 *    AuthSigMessage (our ed25519 key and signature of the challenge).
 * 3. The peer's sealed AuthSigMessage arrives; {@link receive} checks it and
 *    reports `done`. {@link result} then holds the frame sealer and opener.
 *
 * Every failure is a typed error; after one the machine stays failed.
 */
export class Handshake {
  readonly #identity: NodeIdentity
  readonly #backend: CryptoBackend
  readonly #expectedRemoteId: string | undefined
  readonly #maxMessageSize: number
  readonly #ephemeral: EphemeralKeyPair
  #state: State = 'new'
  #reader: DelimitedMessageReader
  #secrets: HandshakeSecrets | undefined
  #sealer: FrameSealer | undefined
  #opener: FrameOpener | undefined
  #result: HandshakeResult | undefined
  #failure: Error | undefined

  constructor(options: HandshakeOptions) {
    const maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_HANDSHAKE_MESSAGE_SIZE
    if (!Number.isSafeInteger(maxMessageSize) || maxMessageSize < 1) {
      throw new InvalidArgumentError(`maxMessageSize must be a positive integer, got ${maxMessageSize}`)
    }
    this.#identity = options.identity
    this.#backend = options.backend
    this.#expectedRemoteId = options.expectedRemoteId?.toLowerCase()
    this.#maxMessageSize = maxMessageSize
    this.#ephemeral =
      options.ephemeralPrivateKey === undefined
        ? generateEphemeralKeyPair()
        : ephemeralKeyPairFromSecret(options.ephemeralPrivateKey)
    this.#reader = new DelimitedMessageReader(maxMessageSize, 'ephemeral key message')
  }

  /** Our ephemeral X25519 public key. */
  get ephemeralPublicKey(): Uint8Array {
    return this.#ephemeral.publicKey
  }

  /** True once the peer is authenticated. */
  get done(): boolean {
    return this.#state === 'done'
  }

  /** The derived secrets, once the peer's ephemeral key has arrived. */
  get secrets(): HandshakeSecrets | undefined {
    return this.#secrets
  }

  /** The outcome; throws unless {@link done}. */
  get result(): HandshakeResult {
    if (this.#result === undefined) throw new InvalidArgumentError('the handshake has not completed')
    return this.#result
  }

  /** Starts the handshake: returns the ephemeral key message to send (35 bytes). */
  start(): Uint8Array {
    if (this.#state !== 'new') throw new InvalidArgumentError('the handshake has already started')
    this.#state = 'ephemeral'
    return encodeDelimited(encodeBytesValue(this.#ephemeral.publicKey))
  }

  /**
   * Feeds bytes received from the peer. Consumes no more than the
   * handshake needs: `consumed` tells where the data phase begins.
   */
  receive(input: Uint8Array): HandshakeStep {
    if (this.#failure !== undefined) throw this.#failure
    if (this.#state === 'new') throw new InvalidArgumentError('call start() before receive()')
    if (this.#state === 'done') return { consumed: 0, send: undefined, done: true }
    try {
      return this.#receive(input)
    } catch (err) {
      this.#state = 'failed'
      this.#failure =
        err instanceof CometError ? err : new HandshakeFailedError(`handshake failed: ${String(err)}`, { cause: err })
      throw this.#failure
    }
  }

  #receive(input: Uint8Array): HandshakeStep {
    let offset = 0
    let send: Uint8Array | undefined
    if (this.#state === 'ephemeral') {
      offset = this.#reader.read(input, offset)
      const message = this.#reader.message
      if (message === undefined) return { consumed: offset, send, done: false }
      send = this.#onEphemeralKey(message)
      this.#state = 'auth'
      this.#reader = new DelimitedMessageReader(this.#maxMessageSize, 'AuthSigMessage')
    }
    const opener = this.#opener as FrameOpener
    while (offset < input.length) {
      offset = opener.next(input, offset)
      const payload = opener.payload
      if (payload === undefined) continue
      const used = this.#reader.read(payload, 0)
      const message = this.#reader.message
      if (message === undefined) continue
      this.#onAuthSig(message, payload.slice(used))
      return { consumed: offset, send, done: true }
    }
    return { consumed: offset, send, done: false }
  }

  #onEphemeralKey(message: Uint8Array): Uint8Array {
    let remoteEphemeral: Uint8Array
    try {
      remoteEphemeral = decodeBytesValue(message)
    } catch (err) {
      throw new HandshakeMessageError('malformed ephemeral key message', { cause: err })
    }
    // The reference copies whatever it got into a 32-byte array (truncating
    // or zero-filling); a key of another length is refused here instead.
    if (remoteEphemeral.length !== X25519_KEY_SIZE) throw new EphemeralKeyLengthError(remoteEphemeral.length)
    const local = this.#ephemeral.publicKey
    const privateKey = this.#ephemeral.privateKey
    const dhSecret = x25519SharedSecret(privateKey, remoteEphemeral)
    // A raw secret (libsodium) is needed for this one agreement only.
    if (privateKey instanceof Uint8Array) privateKey.fill(0)
    if (dhSecret === undefined) throw new LowOrderPointError()
    const [low, high] = sortKeys(local, remoteEphemeral)
    // As the reference: equal keys count as "local is least" on both sides.
    const localIsLeast = compareBytes(local, low) === 0
    const challenge = computeChallenge(low, high, dhSecret)
    const { recvKey, sendKey } = deriveSecrets(dhSecret, localIsLeast)
    this.#secrets = {
      localEphemeralPublicKey: local,
      remoteEphemeralPublicKey: Uint8Array.from(remoteEphemeral),
      localIsLeast,
      dhSecret,
      recvKey,
      sendKey,
      challenge
    }
    this.#sealer = new FrameSealer(this.#backend.createCipher(sendKey))
    this.#opener = new FrameOpener(this.#backend.createCipher(recvKey))
    const signature = this.#identity.sign(challenge)
    const auth: AuthSigMessage = { pubKey: { type: 'ed25519', bytes: this.#identity.publicKey }, sig: signature }
    return this.#sealer.seal(encodeDelimited(encodeAuthSigMessage(auth)))
  }

  #onAuthSig(message: Uint8Array, plaintext: Uint8Array): void {
    let auth: AuthSigMessage
    try {
      auth = decodeAuthSigMessage(message)
    } catch (err) {
      const reason = err instanceof DecodeError ? err.message : String(err)
      throw new HandshakeMessageError(`malformed AuthSigMessage: ${reason}`, { cause: err })
    }
    if (auth.pubKey.type !== 'ed25519') throw new UnsupportedKeyTypeError(auth.pubKey.type)
    const remotePubKey = auth.pubKey.bytes
    if (remotePubKey.length !== ED25519_PUBLIC_KEY_LENGTH) {
      throw new HandshakeMessageError(`ed25519 public key must be ${ED25519_PUBLIC_KEY_LENGTH} bytes, got ${remotePubKey.length}`)
    }
    const secrets = this.#secrets as HandshakeSecrets
    if (!verifyEd25519Signature(remotePubKey, secrets.challenge, auth.sig)) throw new InvalidAuthSignatureError()
    const remoteId = nodeIdFromPubKey(remotePubKey)
    if (this.#expectedRemoteId !== undefined && this.#expectedRemoteId !== remoteId) {
      throw new RemoteIdMismatchError(this.#expectedRemoteId, remoteId)
    }
    this.#state = 'done'
    this.#result = {
      remotePubKey: Uint8Array.from(remotePubKey),
      remoteId,
      sealer: this.#sealer as FrameSealer,
      opener: this.#opener as FrameOpener,
      plaintext
    }
  }
}
