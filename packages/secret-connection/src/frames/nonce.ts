import { AEAD_NONCE_SIZE } from '../constants.js'
import { NonceExhaustedError } from '../errors.js'

const TWO_32 = 0x1_0000_0000

/**
 * The per-direction frame nonce: 4 zero bytes then a 64-bit little-endian
 * counter that starts at 0 and grows by one per frame. Every counter value
 * is used at most once; once 2^64 - 1 has been used the nonce is exhausted
 * and {@link FrameNonce.next} throws instead of wrapping around (the
 * reference panics at that point).
 */
export class FrameNonce {
  readonly #bytes = new Uint8Array(AEAD_NONCE_SIZE)
  readonly #view = new DataView(this.#bytes.buffer)
  readonly #direction: 'send' | 'receive'
  #low = 0
  #high = 0
  #exhausted = false

  /** `start` lets tests begin near the end of the counter range. */
  constructor(direction: 'send' | 'receive', start = 0n) {
    this.#direction = direction
    if (start < 0n || start >= 1n << 64n) throw new RangeError(`nonce counter ${start} is outside 0..2^64-1`)
    this.#low = Number(start & 0xffffffffn)
    this.#high = Number(start >> 32n)
  }

  /** The counter value the next frame will use. */
  get counter(): bigint {
    return (BigInt(this.#high) << 32n) | BigInt(this.#low)
  }

  /** True once every counter value has been used. */
  get exhausted(): boolean {
    return this.#exhausted
  }

  /**
   * The nonce for the next frame, advancing the counter. The returned array
   * is reused: it is valid until the next call.
   */
  next(): Uint8Array {
    if (this.#exhausted) throw new NonceExhaustedError(this.#direction)
    this.#view.setUint32(4, this.#low, true)
    this.#view.setUint32(8, this.#high, true)
    if (++this.#low === TWO_32) {
      this.#low = 0
      if (++this.#high === TWO_32) this.#exhausted = true
    }
    return this.#bytes
  }
}
