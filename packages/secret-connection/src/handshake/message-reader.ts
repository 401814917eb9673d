import { MAX_UVARINT_LENGTH, MessageTooLargeError } from '@comet-p2p/types'
import { HandshakeMessageError } from '../errors.js'

/**
 * Reads exactly one length-delimited message (uvarint length, then body)
 * from input that arrives in pieces, and not a byte more: what follows the
 * message stays with the caller. The announced length is checked against
 * `maxSize` before anything is allocated.
 */
export class DelimitedMessageReader {
  readonly #maxSize: number
  readonly #what: string
  #length = 0
  #scale = 1
  #prefixBytes = 0
  #prefixDone = false
  #body: Uint8Array | undefined
  #filled = 0
  /** The message once complete. */
  message: Uint8Array | undefined

  constructor(maxSize: number, what: string) {
    this.#maxSize = maxSize
    this.#what = what
  }

  /** Bytes taken so far (prefix and body). */
  get bytesRead(): number {
    return this.#prefixBytes + this.#filled
  }

  /**
   * Consumes from `input` at `offset` until the message is complete or the
   * input ends; returns the offset after the consumed bytes.
   */
  read(input: Uint8Array, offset: number): number {
    let pos = offset
    while (!this.#prefixDone && pos < input.length) {
      const byte = input[pos++] as number
      this.#prefixBytes++
      this.#length += (byte & 0x7f) * this.#scale
      this.#scale *= 0x80
      if (this.#length > this.#maxSize) {
        throw new HandshakeMessageError(`${this.#what} is too large`, {
          cause: new MessageTooLargeError(this.#length, this.#maxSize, this.#what)
        })
      }
      if (byte < 0x80) {
        this.#prefixDone = true
      } else if (this.#prefixBytes >= MAX_UVARINT_LENGTH) {
        throw new HandshakeMessageError(`${this.#what} has a malformed length prefix`)
      }
    }
    if (!this.#prefixDone) return pos
    if (this.#body === undefined) {
      // A message lying whole in this input is returned as a view of it.
      if (this.#filled === 0 && input.length - pos >= this.#length) {
        this.message = input.subarray(pos, pos + this.#length)
        this.#filled = this.#length
        return pos + this.#length
      }
      this.#body = new Uint8Array(this.#length)
    }
    const take = Math.min(this.#length - this.#filled, input.length - pos)
    this.#body.set(input.subarray(pos, pos + take), this.#filled)
    this.#filled += take
    pos += take
    if (this.#filled === this.#length) this.message = this.#body
    return pos
  }
}
