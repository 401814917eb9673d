import type { Duplex } from 'node:stream'
import {
  CometError,
  InvalidArgumentError,
  abortErrorFor,
  assertNodeId,
  deadlineSignal,
  silentLogger,
  type AbortOptions,
  type Logger,
  type NodeId,
  type NodeIdentity
} from '@comet-p2p/types'
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, DEFAULT_HIGH_WATER_MARK, DEFAULT_MAX_HANDSHAKE_MESSAGE_SIZE } from './constants.js'
import type { BackendName, CryptoBackend } from './crypto/backend.js'
import { resolveBackend } from './crypto/select.js'
import { HandshakeEofError, HandshakeFailedError, TransportError } from './errors.js'
import { Handshake } from './handshake/handshake.js'
import { SecretConnection } from './secret-connection.js'

/** Options of {@link makeSecretConnection}. */
export interface SecretConnectionOptions extends AbortOptions {
  /**
   * Time limit for the whole handshake in milliseconds (default 20 000, the
   * default of CometBFT's `handshake_timeout` setting). `Infinity` disables it.
   */
  timeoutMs?: number | undefined
  /**
   * The node ID the peer must authenticate as. A dialer passes the ID from
   * the address it dialed; any other peer fails with `RemoteIdMismatchError`.
   */
  expectedRemoteId?: NodeId | undefined
  /**
   * The ChaCha20-Poly1305 implementation: `'auto'` (default: the fastest
   * available, sodium then node then noble), a backend name, or your own
   * {@link CryptoBackend}. Naming an unavailable one throws
   * `BackendUnavailableError`.
   */
  backend?: BackendName | 'auto' | CryptoBackend | undefined
  /**
   * TESTS ONLY: a fixed 32-byte ephemeral X25519 secret, to replay recorded
   * handshakes. Reusing an ephemeral key destroys forward secrecy; leave it
   * unset in production, where a fresh key is drawn for every handshake.
   */
  ephemeralPrivateKey?: Uint8Array | undefined
  /**
   * Largest handshake message accepted, in bytes. Default 1024: valid
   * messages are 34 and 102 bytes; the reference allows 1 MiB, which lets a
   * peer that announces 1 MiB and trickles make us hold a 1 MiB buffer.
   */
  maxHandshakeMessageSize?: number | undefined
  /** Readable and writable buffer size of the connection (default 64 KiB). */
  highWaterMark?: number | undefined
  /** Where to log handshake outcomes (default: nowhere). */
  logger?: Logger | undefined
}

/**
 * Runs the secret connection handshake over `stream` (normally a connected
 * `net.Socket`) as `identity`, and resolves with the encrypted,
 * authenticated {@link SecretConnection} that now owns the stream.
 *
 * On any failure (bad or misbehaving peer, timeout, abort, stream error)
 * the stream is destroyed, every timer and listener is removed, and the
 * promise rejects with a typed error: one of this package's errors, or
 * `TimeoutError` / `AbortError` from `@comet-p2p/types`.
 */
export async function makeSecretConnection(
  stream: Duplex,
  identity: NodeIdentity,
  options: SecretConnectionOptions = {}
): Promise<SecretConnection> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS
  const highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK
  const logger = options.logger ?? silentLogger
  let handshake: Handshake
  let backend: CryptoBackend
  try {
    if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
      throw new InvalidArgumentError(`timeoutMs must be a non-negative number, got ${String(timeoutMs)}`)
    }
    if (!Number.isSafeInteger(highWaterMark) || highWaterMark < 1) {
      throw new InvalidArgumentError(`highWaterMark must be a positive integer, got ${String(highWaterMark)}`)
    }
    if (options.expectedRemoteId !== undefined) assertNodeId(options.expectedRemoteId)
    backend = resolveBackend(options.backend)
    handshake = new Handshake({
      identity,
      backend,
      ephemeralPrivateKey: options.ephemeralPrivateKey,
      expectedRemoteId: options.expectedRemoteId,
      maxMessageSize: options.maxHandshakeMessageSize ?? DEFAULT_MAX_HANDSHAKE_MESSAGE_SIZE
    })
  } catch (err) {
    stream.destroy()
    throw err
  }

  return new Promise<SecretConnection>((resolve, reject) => {
    const deadline = deadlineSignal(timeoutMs, options.signal, 'secret connection handshake')
    let settled = false

    const detach = (): void => {
      deadline.clear()
      deadline.signal.removeEventListener('abort', onAbort)
      stream.off('data', onData)
      stream.off('end', onEnd)
      stream.off('close', onClose)
      stream.off('error', onError)
    }
    const fail = (err: Error): void => {
      if (settled) return
      settled = true
      detach()
      // A dying stream may still report an error; it must not go uncaught.
      stream.on('error', ignoreError)
      stream.destroy()
      logger.debug('secret connection handshake failed', { error: err.message })
      reject(err)
    }
    const onAbort = (): void => fail(abortErrorFor(deadline.signal))
    const onEnd = (): void => fail(new HandshakeEofError('the peer ended the stream during the handshake'))
    const onClose = (): void => fail(new HandshakeEofError('the stream closed during the handshake'))
    const onError = (err: Error): void =>
      fail(new TransportError(`underlying stream failed during the handshake: ${err.message}`, { cause: err }))
    const onData = (chunk: Buffer): void => {
      if (settled) return
      let consumed: number
      try {
        const step = handshake.receive(chunk)
        if (step.send !== undefined) stream.write(step.send)
        if (!step.done) return
        consumed = step.consumed
      } catch (err) {
        fail(err instanceof CometError ? err : new HandshakeFailedError(String(err), { cause: err }))
        return
      }
      // Hand over: stop the flow first so no byte is emitted without a listener.
      settled = true
      stream.pause()
      detach()
      const connection = new SecretConnection({
        stream,
        handshake: handshake.result,
        leftover: chunk.subarray(consumed),
        localId: identity.id,
        backendName: backend.name,
        highWaterMark
      })
      logger.debug('secret connection established', { remoteId: connection.remoteId, backend: backend.name })
      resolve(connection)
    }

    if (deadline.signal.aborted) {
      onAbort()
      return
    }
    if (stream.destroyed || stream.readableEnded) {
      fail(new HandshakeEofError('the stream is already closed'))
      return
    }
    deadline.signal.addEventListener('abort', onAbort, { once: true })
    stream.on('error', onError)
    stream.on('end', onEnd)
    stream.on('close', onClose)
    stream.on('data', onData)
    stream.resume()
    stream.write(handshake.start())
  })
}

function ignoreError(): void {}
