import { Duplex } from 'node:stream'
import type { NodeId } from '@comet-p2p/types'
import { FRAME_LENGTH_FIELD_SIZE, MAX_FRAME_PAYLOAD, SEALED_FRAME_SIZE } from './constants.js'
import { TransportError, TruncatedFrameError } from './errors.js'
import type { FrameOpener } from './frames/opener.js'
import type { FrameSealer } from './frames/sealer.js'
import type { HandshakeResult } from './handshake/handshake.js'

/**
 * Most frames sealed into one write to the underlying stream (~130 KiB on
 * the wire). Large enough that a socket write carries many frames, small
 * enough that a huge application write does not double its memory.
 */
const WRITE_BATCH_FRAMES = 128

/** What {@link makeSecretConnection} hands over once the handshake is done. */
export interface SecretConnectionInit {
  stream: Duplex
  handshake: HandshakeResult
  /** Bytes already read from `stream` that follow the handshake (sealed frames). */
  leftover: Uint8Array
  localId: NodeId
  backendName: string
  highWaterMark: number
}

type WriteCallback = (error?: Error | null) => void

/** Room for the length field that openInto needs and nothing else: no frame was completed. */
const EMPTY = Buffer.alloc(FRAME_LENGTH_FIELD_SIZE)

/**
 * An authenticated, encrypted stream to one peer. Write plaintext, read
 * plaintext; on the wire every write becomes 1044-byte sealed frames.
 *
 * Obtain one from {@link makeSecretConnection}. It owns the underlying
 * stream: destroying either destroys the other, `end()` ends the underlying
 * stream once everything written has been handed to it, and the underlying
 * stream's end ends this one's readable side. A bad frame from the peer
 * destroys the connection with a typed error (`'error'` event).
 */
export class SecretConnection extends Duplex {
  /** The peer's authenticated ed25519 public key (32 bytes). */
  readonly remotePubKey: Uint8Array
  /** The peer's node ID, derived from {@link remotePubKey}. */
  readonly remoteId: NodeId
  /** Our node ID. */
  readonly localId: NodeId
  /** Name of the crypto backend sealing and opening frames. */
  readonly backendName: string

  readonly #stream: Duplex
  readonly #sealer: FrameSealer
  readonly #opener: FrameOpener
  #pendingPlaintext: Uint8Array | undefined
  #pendingCiphertext: Uint8Array | undefined
  #started = false
  #upstreamEnded = false
  #awaitingDrain: (() => void) | undefined
  #blockedWrite: WriteCallback | undefined

  readonly #onData = (chunk: Buffer): void => {
    if (!this.#deliver(chunk)) this.#stream.pause()
  }
  readonly #onEnd = (): void => {
    this.#upstreamEnded = true
    if (this.#started) this.#endReadable()
  }
  readonly #onError = (err: Error): void => {
    this.destroy(new TransportError(`underlying stream failed: ${err.message}`, { cause: err }))
  }
  readonly #onClose = (): void => {
    if (this.destroyed) return
    // After a clean end, let the reader drain what is already buffered.
    if (this.#upstreamEnded && !this.readableEnded) this.once('end', () => this.destroy())
    else this.destroy()
  }
  readonly #onDrain = (): void => {
    const resume = this.#awaitingDrain
    this.#awaitingDrain = undefined
    resume?.()
  }

  /** @internal Use {@link makeSecretConnection}. */
  constructor(init: SecretConnectionInit) {
    const upstreamHalfOpen = (init.stream as { allowHalfOpen?: boolean }).allowHalfOpen
    super({
      allowHalfOpen: upstreamHalfOpen ?? true,
      readableHighWaterMark: init.highWaterMark,
      writableHighWaterMark: init.highWaterMark
    })
    this.remotePubKey = init.handshake.remotePubKey
    this.remoteId = init.handshake.remoteId
    this.localId = init.localId
    this.backendName = init.backendName
    this.#stream = init.stream
    this.#sealer = init.handshake.sealer
    this.#opener = init.handshake.opener
    this.#pendingPlaintext = init.handshake.plaintext.length > 0 ? init.handshake.plaintext : undefined
    this.#pendingCiphertext = init.leftover.length > 0 ? init.leftover : undefined
    const stream = this.#stream
    stream.on('data', this.#onData)
    stream.on('end', this.#onEnd)
    stream.on('error', this.#onError)
    stream.on('close', this.#onClose)
    stream.on('drain', this.#onDrain)
    if (stream.readableEnded) this.#upstreamEnded = true
  }

  /**
   * Opens every complete frame in `chunk`, decrypting them straight into one
   * buffer whose payloads are pushed together. Returns false when the reader
   * wants no more for now (or the connection failed), so the caller stops
   * the underlying stream.
   */
  #deliver(chunk: Uint8Array): boolean {
    if (this.destroyed) return false
    const opener = this.#opener
    const room = opener.maxPayloadFor(chunk.length)
    // 4 bytes of headroom: openInto decrypts each frame's length field there.
    const out = room > 0 ? Buffer.allocUnsafe(FRAME_LENGTH_FIELD_SIZE + room) : EMPTY
    let end: number
    try {
      end = opener.openInto(chunk, out, FRAME_LENGTH_FIELD_SIZE)
    } catch (err) {
      this.destroy(err as Error)
      return false
    }
    if (end === FRAME_LENGTH_FIELD_SIZE) return true
    return this.push(out.subarray(FRAME_LENGTH_FIELD_SIZE, end))
  }

  #endReadable(): void {
    const partial = this.#opener.bufferedBytes
    if (partial > 0) this.destroy(new TruncatedFrameError(partial))
    else this.push(null)
  }

  /** Handles what arrived together with the handshake; false when the reader is full. */
  #start(): boolean {
    this.#started = true
    let wantMore = true
    const plaintext = this.#pendingPlaintext
    const ciphertext = this.#pendingCiphertext
    this.#pendingPlaintext = undefined
    this.#pendingCiphertext = undefined
    if (plaintext !== undefined) wantMore = this.push(Buffer.from(plaintext))
    if (ciphertext !== undefined) wantMore = this.#deliver(ciphertext) && wantMore
    if (this.destroyed) return false
    if (this.#upstreamEnded) {
      this.#endReadable()
      return false
    }
    return wantMore
  }

  override _read(): void {
    if (!this.#started && !this.#start()) return
    if (!this.#upstreamEnded) this.#stream.resume()
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: WriteCallback): void {
    this.#writeChunks([chunk], callback)
  }

  override _writev(chunks: { chunk: Buffer }[], callback: WriteCallback): void {
    this.#writeChunks(
      chunks.map((c) => c.chunk),
      callback
    )
  }

  /**
   * Seals the chunks (each one framed on its own, as separate writes in the
   * reference) in batches of whole frames, one underlying write per batch,
   * waiting for 'drain' whenever the underlying stream asks to.
   */
  #writeChunks(chunks: Uint8Array[], callback: WriteCallback): void {
    const stream = this.#stream
    let index = 0
    let position = 0
    const step = (): void => {
      this.#blockedWrite = undefined
      try {
        while (index < chunks.length) {
          if (stream.destroyed || stream.writableEnded) {
            callback(new TransportError('the underlying stream is closed'))
            return
          }
          const batch: [Uint8Array, number, number][] = []
          let frames = 0
          while (index < chunks.length && frames < WRITE_BATCH_FRAMES) {
            const chunk = chunks[index] as Uint8Array
            const remaining = Math.ceil((chunk.length - position) / MAX_FRAME_PAYLOAD)
            const take = Math.min(remaining, WRITE_BATCH_FRAMES - frames)
            const end = take === remaining ? chunk.length : position + take * MAX_FRAME_PAYLOAD
            if (take > 0) batch.push([chunk, position, end])
            frames += take
            if (end === chunk.length) {
              index++
              position = 0
            } else {
              position = end
            }
          }
          if (frames === 0) continue
          const out = Buffer.allocUnsafe(frames * SEALED_FRAME_SIZE)
          const target = new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
          let offset = 0
          for (const [chunk, start, end] of batch) offset = this.#sealer.sealInto(chunk, start, end, target, offset)
          if (!stream.write(out)) {
            this.#blockedWrite = callback
            this.#awaitingDrain = step
            return
          }
        }
        callback()
      } catch (err) {
        callback(err as Error)
      }
    }
    step()
  }

  override _final(callback: WriteCallback): void {
    const stream = this.#stream
    if (!stream.destroyed && !stream.writableEnded) stream.end()
    callback()
  }

  override _destroy(error: Error | null, callback: WriteCallback): void {
    const stream = this.#stream
    stream.off('data', this.#onData)
    stream.off('end', this.#onEnd)
    stream.off('error', this.#onError)
    stream.off('close', this.#onClose)
    stream.off('drain', this.#onDrain)
    // Keep a late error from the dying stream from becoming an uncaught exception.
    stream.on('error', ignoreError)
    this.#awaitingDrain = undefined
    const blocked = this.#blockedWrite
    this.#blockedWrite = undefined
    if (!stream.destroyed) stream.destroy()
    blocked?.(error ?? new TransportError('the secret connection was destroyed'))
    callback(error)
  }
}

function ignoreError(): void {}
