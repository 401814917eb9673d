import { InvalidArgumentError, InvalidLengthPrefixError, MessageTooLargeError } from '../errors.js'
import { MAX_UVARINT_LENGTH } from './uvarint.js'

/** Options of {@link DelimitedDecoder}. */
export interface DelimitedDecoderOptions {
  /** The largest message accepted, in bytes; a larger length prefix is an error before any allocation. */
  maxMessageSize: number
}

/**
 * Splits a byte stream into length-delimited messages, whatever the chunk
 * boundaries. Memory is bounded by `maxMessageSize`: an announced length
 * above it fails as soon as the prefix shows it, before anything is
 * allocated. A message that lies whole inside one chunk is returned as a
 * view of that chunk, without copying.
 *
 * After an error the decoder is unusable: the stream is out of sync.
 */
export class DelimitedDecoder {
  readonly maxMessageSize: number
  #prefixValue = 0
  #prefixScale = 1
  #prefixBytes = 0
  /** Body being assembled across chunks; undefined while reading a prefix. */
  #body: Uint8Array | undefined
  #bodyFilled = 0
  #failed: Error | undefined

  constructor(options: DelimitedDecoderOptions) {
    if (!Number.isSafeInteger(options.maxMessageSize) || options.maxMessageSize < 0) {
      throw new InvalidArgumentError(`maxMessageSize must be a non-negative integer, got ${options.maxMessageSize}`)
    }
    this.maxMessageSize = options.maxMessageSize
  }

  /** Bytes received but not yet returned as part of a message. */
  get bufferedBytes(): number {
    return this.#prefixBytes + this.#bodyFilled
  }

  /** Feeds the next chunk of the stream; returns the messages it completes, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = []
    this.decode(chunk, (message) => out.push(message))
    return out
  }

  /**
   * Like {@link push}, but hands each completed message to `onMessage` as it
   * is found, without building an array.
   */
  decode(chunk: Uint8Array, onMessage: (message: Uint8Array) => void): void {
    if (this.#failed !== undefined) throw this.#failed
    try {
      this.#decode(chunk, onMessage)
    } catch (err) {
      this.#failed = err as Error
      throw err
    }
  }

  #decode(chunk: Uint8Array, onMessage: (message: Uint8Array) => void): void {
    let offset = 0
    while (offset < chunk.length) {
      if (this.#body === undefined) {
        const byte = chunk[offset++] as number
        this.#prefixValue += (byte & 0x7f) * this.#prefixScale
        this.#prefixBytes++
        // The value only grows with further bytes, so an oversized length is
        // refused as soon as it shows, even before the prefix ends.
        if (this.#prefixValue > this.maxMessageSize) {
          throw new MessageTooLargeError(this.#prefixValue, this.maxMessageSize)
        }
        if (byte >= 0x80) {
          if (this.#prefixBytes >= MAX_UVARINT_LENGTH) throw new InvalidLengthPrefixError()
          this.#prefixScale *= 0x80
          continue
        }
        const length = this.#prefixValue
        this.#prefixValue = 0
        this.#prefixScale = 1
        this.#prefixBytes = 0
        if (chunk.length - offset >= length) {
          onMessage(chunk.subarray(offset, offset + length))
          offset += length
        } else {
          this.#body = new Uint8Array(length)
          this.#bodyFilled = 0
        }
        continue
      }
      const body = this.#body
      const take = Math.min(body.length - this.#bodyFilled, chunk.length - offset)
      body.set(chunk.subarray(offset, offset + take), this.#bodyFilled)
      this.#bodyFilled += take
      offset += take
      if (this.#bodyFilled === body.length) {
        this.#body = undefined
        this.#bodyFilled = 0
        onMessage(body)
      }
    }
  }
}
