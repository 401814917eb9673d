import { InvalidArgumentError } from '@comet-p2p/types'
import { AEAD_NONCE_SIZE } from '../constants.js'
import { NonceExhaustedError } from '../errors.js'

const TWO_32 = 0x1_0000_0000

/**
 * The bytes every {@link FrameNonce.next} fills and returns. Nonces are used
 * at once by the synchronous AEAD call that follows, so one array serves
 * every connection of the process (bytes 0-3 stay zero): a nonce object is
 * two numbers, not an array of its own per connection and direction.
 */
const NONCE_BYTES = new Uint8Array(AEAD_NONCE_SIZE)

/**
 * The per-direction frame nonce: 4 zero bytes then a 64-bit little-endian
 * counter that starts at 0 and grows by one per frame. Every counter value
 * is used at most once; once 2^64 - 1 has been used the nonce is exhausted
 * and {@link FrameNonce.next} throws instead of wrapping around (the
 * reference panics at that point).
 */
export class FrameNonce {
  readonly #direction: 'send' | 'receive'
  #low = 0
  #high = 0
  #exhausted = false

  /** `start` lets tests begin near the end of the counter range. */
  constructor(direction: 'send' | 'receive', start = 0n) {
    this.#direction = direction
    if (start < 0n || start >= 1n << 64n) throw new InvalidArgumentError(`nonce counter ${start} is outside 0..2^64-1`)
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
   * is shared by all nonces of the process: use it at once; it is valid until
   * the next call of `next()` on any `FrameNonce`.
   */
  next(): Uint8Array {
    if (this.#exhausted) throw new NonceExhaustedError(this.#direction)
    const bytes = NONCE_BYTES
    const low = this.#low
    const high = this.#high
    bytes[4] = low & 0xff
    bytes[5] = (low >>> 8) & 0xff
    bytes[6] = (low >>> 16) & 0xff
    bytes[7] = low >>> 24
    bytes[8] = high & 0xff
    bytes[9] = (high >>> 8) & 0xff
    bytes[10] = (high >>> 16) & 0xff
    bytes[11] = high >>> 24
    if (++this.#low === TWO_32) {
      this.#low = 0
      if (++this.#high === TWO_32) this.#exhausted = true
    }
    return bytes
  }
}
