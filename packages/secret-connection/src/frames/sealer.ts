import { FRAME_LENGTH_FIELD_SIZE, FRAME_PLAINTEXT_SIZE, MAX_FRAME_PAYLOAD, SEALED_FRAME_SIZE } from '../constants.js'
import type { AeadCipher } from '../crypto/backend.js'
import { FrameNonce } from './nonce.js'

/** Bytes on the wire for a write of `length` bytes: one sealed frame per started 1024 bytes. */
export function sealedLength(length: number): number {
  return Math.ceil(length / MAX_FRAME_PAYLOAD) * SEALED_FRAME_SIZE
}

/**
 * Turns application bytes into sealed frames for one direction: each frame is
 * `u32le(length) || up to 1024 bytes || zero padding`, 1028 bytes, sealed
 * to 1044 bytes with the next send nonce.
 */
export class FrameSealer {
  readonly #cipher: AeadCipher
  readonly #nonce: FrameNonce
  /**
   * Plaintext scratch frame. Its padding is always zero: whatever a longer
   * previous frame left behind is cleared before sealing a shorter one. The
   * reference does not do this (its frame buffer comes from a shared pool),
   * so its padding can leak stale plaintext; ours never does.
   */
  readonly #plain = new Uint8Array(FRAME_PLAINTEXT_SIZE)
  readonly #plainView = new DataView(this.#plain.buffer)
  #dirtyEnd = FRAME_LENGTH_FIELD_SIZE

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
    const plain = this.#plain
    let offset = outOffset
    for (let pos = start; pos < end; pos += MAX_FRAME_PAYLOAD) {
      const length = Math.min(MAX_FRAME_PAYLOAD, end - pos)
      const nonce = this.#nonce.next()
      this.#plainView.setUint32(0, length, true)
      plain.set(data.subarray(pos, pos + length), FRAME_LENGTH_FIELD_SIZE)
      const payloadEnd = FRAME_LENGTH_FIELD_SIZE + length
      if (this.#dirtyEnd > payloadEnd) plain.fill(0, payloadEnd, this.#dirtyEnd)
      this.#dirtyEnd = payloadEnd
      this.#cipher.seal(nonce, plain, out.subarray(offset, offset + SEALED_FRAME_SIZE))
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
