import { FRAME_LENGTH_FIELD_SIZE, FRAME_PLAINTEXT_SIZE, MAX_FRAME_PAYLOAD, SEALED_FRAME_SIZE } from '../constants.js'
import type { AeadCipher } from '../crypto/backend.js'
import { FrameNonce } from './nonce.js'

/** Bytes on the wire for a write of `length` bytes: one sealed frame per started 1024 bytes. */
export function sealedLength(length: number): number {
  return Math.ceil(length / MAX_FRAME_PAYLOAD) * SEALED_FRAME_SIZE
}

/**
 * The plaintext frame being sealed. Sealing is synchronous, so one scratch
 * frame serves every sealer of the process instead of 1 KiB per connection.
 */
const PLAIN = new Uint8Array(FRAME_PLAINTEXT_SIZE)

/**
 * Turns application bytes into sealed frames for one direction: each frame is
 * `u32le(length) || up to 1024 bytes || zero padding`, 1028 bytes, sealed
 * to 1044 bytes with the next send nonce.
 *
 * The padding is always zero: the padding of a short frame is cleared before
 * it is sealed. The reference does not do this (its frame buffer comes from
 * a shared pool), so its padding can leak stale plaintext; ours never does.
 */
export class FrameSealer {
  readonly #cipher: AeadCipher
  readonly #nonce: FrameNonce

  constructor(cipher: AeadCipher, nonce = new FrameNonce('send')) {
    this.#cipher = cipher
    this.#nonce = nonce
  }

  /** The counter the next frame will use. */
  get counter(): bigint {
    return this.#nonce.counter
  }

  /**
   * Seals `data[start:end]` as consecutive frames into `out` at `outOffset`
   * (room for {@link sealedLength}(end - start) bytes needed); returns the
   * offset after the last frame. Nothing is written for an empty range.
   * Throws {@link NonceExhaustedError} when the counter runs out.
   */
  sealInto(data: Uint8Array, start: number, end: number, out: Uint8Array, outOffset: number): number {
    const plain = PLAIN
    const cipher = this.#cipher
    // Views of a plain Uint8Array are cheaper to make than views of a Buffer.
    const src = Buffer.isBuffer(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data
    const dst = Buffer.isBuffer(out) ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength) : out
    let offset = outOffset
    for (let pos = start; pos < end; pos += MAX_FRAME_PAYLOAD) {
      const length = Math.min(MAX_FRAME_PAYLOAD, end - pos)
      const nonce = this.#nonce.next()
      plain[0] = length & 0xff
      plain[1] = length >>> 8
      plain[2] = 0
      plain[3] = 0
      plain.set(src.subarray(pos, pos + length), FRAME_LENGTH_FIELD_SIZE)
      if (length < MAX_FRAME_PAYLOAD) plain.fill(0, FRAME_LENGTH_FIELD_SIZE + length)
      cipher.seal(nonce, plain, dst.subarray(offset, offset + SEALED_FRAME_SIZE))
      offset += SEALED_FRAME_SIZE
    }
    return offset
  }

  /** Seals all of `data` into a new buffer (empty for empty input). */
  seal(data: Uint8Array): Uint8Array {
    const out = new Uint8Array(sealedLength(data.length))
    this.sealInto(data, 0, data.length, out, 0)
    return out
  }
}
