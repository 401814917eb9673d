import { FRAME_LENGTH_FIELD_SIZE, FRAME_PLAINTEXT_SIZE, MAX_FRAME_PAYLOAD, SEALED_FRAME_SIZE } from '../constants.js'
import type { AeadCipher } from '../crypto/backend.js'
import { FrameAuthenticationError, FrameLengthError } from '../errors.js'
import { FrameNonce } from './nonce.js'

/**
 * Turns the peer's byte stream back into frame payloads, whatever the chunk
 * boundaries. Memory is one partial sealed frame (1044 bytes) plus one
 * plaintext frame: a frame that lies whole in the input is opened straight
 * from it, only a frame split across chunks is copied.
 *
 * Any failure (bad tag, length field over 1024, exhausted nonce) leaves the
 * opener failed: the stream cannot be resynchronised.
 */
export class FrameOpener {
  readonly #cipher: AeadCipher
  readonly #nonce: FrameNonce
  readonly #partial = new Uint8Array(SEALED_FRAME_SIZE)
  #partialLength = 0
  readonly #plain = new Uint8Array(FRAME_PLAINTEXT_SIZE)
  readonly #plainView = new DataView(this.#plain.buffer)
  #failure: Error | undefined
  /**
   * After {@link next}: the payload of the frame it completed (a view of an
   * internal buffer, valid until the next call), else undefined.
   */
  payload: Uint8Array | undefined

  constructor(cipher: AeadCipher, nonce = new FrameNonce('receive')) {
    this.#cipher = cipher
    this.#nonce = nonce
  }

  /** Bytes of an incomplete sealed frame held from earlier input. */
  get bufferedBytes(): number {
    return this.#partialLength
  }

  /** The counter the next frame must have been sealed with. */
  get counter(): bigint {
    return this.#nonce.counter
  }

  /**
   * Consumes input from `offset` up to the end of at most one frame and
   * returns the offset after what it consumed. When that completes a frame,
   * it is opened and {@link payload} is set (possibly empty: a zero-length
   * frame is legal).
   */
  next(input: Uint8Array, offset: number): number {
    if (this.#failure !== undefined) throw this.#failure
    this.payload = undefined
    const available = input.length - offset
    if (this.#partialLength === 0 && available >= SEALED_FRAME_SIZE) {
      const end = offset + SEALED_FRAME_SIZE
      this.#open(input.subarray(offset, end))
      return end
    }
    const take = Math.min(SEALED_FRAME_SIZE - this.#partialLength, available)
    this.#partial.set(input.subarray(offset, offset + take), this.#partialLength)
    this.#partialLength += take
    if (this.#partialLength === SEALED_FRAME_SIZE) {
      this.#partialLength = 0
      this.#open(this.#partial)
    }
    return offset + take
  }

  /**
   * Opens every frame `input` completes, calling `onPayload` with each
   * non-empty payload (a view valid only during the call).
   */
  openAll(input: Uint8Array, onPayload: (payload: Uint8Array) => void): void {
    let offset = 0
    while (offset < input.length) {
      offset = this.next(input, offset)
      const payload = this.payload
      if (payload !== undefined && payload.length > 0) onPayload(payload)
    }
  }

  #open(sealed: Uint8Array): void {
    try {
      const nonce = this.#nonce.next()
      if (!this.#cipher.open(nonce, sealed, this.#plain)) throw new FrameAuthenticationError()
      const length = this.#plainView.getUint32(0, true)
      if (length > MAX_FRAME_PAYLOAD) throw new FrameLengthError(length)
      this.payload = this.#plain.subarray(FRAME_LENGTH_FIELD_SIZE, FRAME_LENGTH_FIELD_SIZE + length)
    } catch (err) {
      this.#failure = err as Error
      throw err
    }
  }
}
