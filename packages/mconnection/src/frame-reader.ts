import { MalformedPacketError, PacketTooLargeError } from './errors.js'

/**
 * Receives each complete frame as bounds within a buffer. The bytes are only
 * valid during the call (a frame inside a chunk is a view of the chunk).
 * Return `false` to stop reading the chunk.
 */
export type FrameSink = (buf: Uint8Array, start: number, end: number) => boolean

/**
 * Splits a byte stream into uvarint-length-delimited frames, whatever the
 * chunk boundaries: frames inside a chunk are passed as offsets into it
 * (nothing allocated); a frame split across chunks is assembled in a buffer
 * of its size that exists only until the frame is complete, so a connection
 * between bursts holds none. The same job as `DelimitedDecoder`
 * of @comet-p2p/types (and tested against it), minus its per-frame views.
 * A prefix above `maxFrameSize` fails as soon as it shows.
 */
export class FrameReader {
  readonly maxFrameSize: number
  #prefixValue = 0
  #prefixScale = 1
  #prefixBytes = 0
  /** Length of the frame being assembled in #scratch, or -1 while reading a prefix. */
  #bodyLength = -1
  #bodyFilled = 0
  #scratch: Uint8Array | undefined

  constructor(maxFrameSize: number) {
    this.maxFrameSize = maxFrameSize
  }

  /** Bytes held for a frame that is not complete yet. */
  get bufferedBytes(): number {
    return this.#bodyLength < 0 ? this.#prefixBytes : this.#prefixBytes + this.#bodyFilled
  }

  /**
   * Feeds one chunk. Returns `false` if the sink asked to stop (the rest of
   * the chunk is then dropped: the caller is closing). Throws
   * {@link PacketTooLargeError} or {@link MalformedPacketError}.
   */
  push(chunk: Uint8Array, sink: FrameSink): boolean {
    const length = chunk.length
    let pos = 0
    if (this.#bodyLength >= 0) {
      pos = this.#fillBody(chunk, 0)
      if (this.#bodyLength >= 0) return true
      if (!sink(this.#takeScratch(), 0, this.#bodyFilled)) return false
    }
    while (pos < length) {
      const b = chunk[pos++] as number
      // Fast path: a one-byte prefix at the start of a frame.
      if (this.#prefixBytes === 0 && b < 0x80) {
        if (b > this.maxFrameSize) throw new PacketTooLargeError(b, this.maxFrameSize)
        if (length - pos >= b) {
          if (!sink(chunk, pos, pos + b)) return false
          pos += b
          continue
        }
        this.#startBody(b)
      } else {
        this.#prefixValue += (b & 0x7f) * this.#prefixScale
        this.#prefixBytes++
        if (this.#prefixValue > this.maxFrameSize) throw new PacketTooLargeError(this.#prefixValue, this.maxFrameSize)
        if (b >= 0x80) {
          if (this.#prefixBytes >= 10) throw new MalformedPacketError('length prefix longer than 10 bytes')
          this.#prefixScale *= 0x80
          continue
        }
        const frameLength = this.#prefixValue
        this.#prefixValue = 0
        this.#prefixScale = 1
        this.#prefixBytes = 0
        if (length - pos >= frameLength) {
          if (!sink(chunk, pos, pos + frameLength)) return false
          pos += frameLength
          continue
        }
        this.#startBody(frameLength)
      }
      pos = this.#fillBody(chunk, pos)
      if (this.#bodyLength >= 0) return true
      if (!sink(this.#takeScratch(), 0, this.#bodyFilled)) return false
    }
    return true
  }

  /** The completed split frame; the reader lets go of it (an idle connection holds no scratch). */
  #takeScratch(): Uint8Array {
    const scratch = this.#scratch as Uint8Array
    this.#scratch = undefined
    return scratch
  }

  #startBody(length: number): void {
    this.#scratch = new Uint8Array(length)
    this.#bodyLength = length
    this.#bodyFilled = 0
  }

  /** Copies body bytes from `chunk` at `pos`; when the body completes, marks it so (#bodyLength = -1). */
  #fillBody(chunk: Uint8Array, pos: number): number {
    const scratch = this.#scratch as Uint8Array
    const take = Math.min(this.#bodyLength - this.#bodyFilled, chunk.length - pos)
    scratch.set(chunk.subarray(pos, pos + take), this.#bodyFilled)
    this.#bodyFilled += take
    if (this.#bodyFilled === this.#bodyLength) this.#bodyLength = -1
    return pos + take
  }
}
