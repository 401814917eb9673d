import { FRAME_LENGTH_FIELD_SIZE, FRAME_PLAINTEXT_SIZE, MAX_FRAME_PAYLOAD, SEALED_FRAME_SIZE } from '../constants.js'
import type { AeadCipher } from '../crypto/backend.js'
import { FrameAuthenticationError, FrameLengthError } from '../errors.js'
import { FrameNonce } from './nonce.js'

/** A plain `Uint8Array` over the same bytes (views of it are cheaper to make than views of a `Buffer`). */
function plainView(bytes: Uint8Array): Uint8Array {
  return Buffer.isBuffer(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes
}

/**
 * The plaintext frame of {@link FrameOpener.next}. Opening is synchronous and
 * `payload` is read before the next call, so one frame serves every opener.
 */
const PLAIN = new Uint8Array(FRAME_PLAINTEXT_SIZE)

/**
 * Turns the peer's byte stream back into frame payloads, whatever the chunk
 * boundaries. A frame that lies whole in the input is opened straight from
 * it; only a frame split across chunks is copied, into a buffer that exists
 * only while such a frame is incomplete (an idle connection holds none).
 *
 * Any failure (bad tag, length field over 1024, exhausted nonce) leaves the
 * opener failed: the stream cannot be resynchronised.
 */
export class FrameOpener {
  readonly #cipher: AeadCipher
  readonly #nonce: FrameNonce
  #partial: Uint8Array | undefined
  #partialLength = 0
  #failure: Error | undefined
  /**
   * After {@link next}: the payload of the frame it completed, else
   * undefined. It is a view of a buffer shared by all openers of the
   * process: valid until the next call of `next()` on any `FrameOpener`.
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
    const plain = PLAIN
    const available = input.length - offset
    if (this.#partialLength === 0 && available >= SEALED_FRAME_SIZE) {
      const end = offset + SEALED_FRAME_SIZE
      const length = this.#open(input.subarray(offset, end), plain, 0)
      this.payload = plain.subarray(FRAME_LENGTH_FIELD_SIZE, FRAME_LENGTH_FIELD_SIZE + length)
      return end
    }
    const taken = this.#fillPartial(input, offset)
    if (this.#partialLength === SEALED_FRAME_SIZE) {
      const length = this.#open(this.#takePartial(), plain, 0)
      this.payload = plain.subarray(FRAME_LENGTH_FIELD_SIZE, FRAME_LENGTH_FIELD_SIZE + length)
    }
    return taken
  }

  /**
   * Opens every frame `input` completes and calls `onPayload` with each
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

  /**
   * Most payload bytes {@link openInto} can produce from `inputLength` more
   * bytes of input: 1024 per frame they complete.
   */
  maxPayloadFor(inputLength: number): number {
    return Math.floor((this.#partialLength + inputLength) / SEALED_FRAME_SIZE) * MAX_FRAME_PAYLOAD
  }

  /**
   * Opens every frame `input` completes, decrypting each one straight into
   * `out` so that the payloads follow each other from `out[start]` on, and
   * returns the offset after the last payload. `out` needs `start >= 4`
   * (each frame's 4-byte length field is decrypted just before its payload,
   * over bytes that are put back afterwards) and room for
   * {@link maxPayloadFor}(input.length) bytes from `start`. A trailing
   * incomplete frame is kept for the next call. Throws like {@link next}.
   */
  openInto(input: Uint8Array, out: Uint8Array, start: number): number {
    if (this.#failure !== undefined) throw this.#failure
    if (start < FRAME_LENGTH_FIELD_SIZE) throw new RangeError('openInto needs 4 bytes before start')
    const src = plainView(input)
    const dst = plainView(out)
    let written = start
    let offset = 0
    if (this.#partialLength > 0) {
      offset = this.#fillPartial(src, 0)
      if (this.#partialLength < SEALED_FRAME_SIZE) return written
      written += this.#openAt(this.#takePartial(), dst, written)
    }
    while (src.length - offset >= SEALED_FRAME_SIZE) {
      const end = offset + SEALED_FRAME_SIZE
      written += this.#openAt(src.subarray(offset, end), dst, written)
      offset = end
    }
    if (offset < src.length) this.#fillPartial(src, offset)
    return written
  }

  /** Opens `sealed` so that its payload lands at `out[at]`; returns the payload length. */
  #openAt(sealed: Uint8Array, out: Uint8Array, at: number): number {
    const head = at - FRAME_LENGTH_FIELD_SIZE
    // The length field lands on the last 4 bytes of the previous payload (or
    // the caller's headroom): keep them and put them back.
    const b0 = out[head] as number
    const b1 = out[head + 1] as number
    const b2 = out[head + 2] as number
    const b3 = out[head + 3] as number
    const length = this.#open(sealed, out, head)
    out[head] = b0
    out[head + 1] = b1
    out[head + 2] = b2
    out[head + 3] = b3
    return length
  }

  /** Copies input into the partial frame from `offset`; returns the offset after what it took. */
  #fillPartial(input: Uint8Array, offset: number): number {
    const partial = (this.#partial ??= new Uint8Array(SEALED_FRAME_SIZE))
    const take = Math.min(SEALED_FRAME_SIZE - this.#partialLength, input.length - offset)
    partial.set(input.subarray(offset, offset + take), this.#partialLength)
    this.#partialLength += take
    return offset + take
  }

  /** The completed partial frame; the opener lets go of its buffer. */
  #takePartial(): Uint8Array {
    const partial = this.#partial as Uint8Array
    this.#partial = undefined
    this.#partialLength = 0
    return partial
  }

  /** Opens one sealed frame into `out[at, at + 1028)` and returns its payload length. */
  #open(sealed: Uint8Array, out: Uint8Array, at: number): number {
    try {
      const nonce = this.#nonce.next()
      if (!this.#cipher.open(nonce, sealed, out.subarray(at, at + FRAME_PLAINTEXT_SIZE))) throw new FrameAuthenticationError()
      const length = (out[at] as number) | ((out[at + 1] as number) << 8) | ((out[at + 2] as number) << 16) | ((out[at + 3] as number) << 24)
      if (length < 0 || length > MAX_FRAME_PAYLOAD) throw new FrameLengthError(length >>> 0)
      return length
    } catch (err) {
      this.#failure = err as Error
      throw err
    }
  }
}
