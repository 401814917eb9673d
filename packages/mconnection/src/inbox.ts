import type { CometError } from '@comet-p2p/types'
import { ReceiveHandlerError } from './errors.js'
import { Ring } from './ring.js'

/** The receive callback: may return a promise, and the next message of the channel waits for it. */
export type ReceiveHandler = (channelId: number, message: Uint8Array) => void | PromiseLike<void>

/**
 * Delivers one channel's received messages to the handler, in order, one at
 * a time: when the handler returns a promise, later messages of the channel
 * queue until it settles (other channels are not held up). Counts the bytes
 * queued or in the handler and reports when they cross `bound`, so the
 * connection can stop reading from the stream instead of buffering more.
 */
export class Inbox {
  readonly channelId: number
  readonly bound: number
  /** Bytes of messages queued or being handled. */
  pendingBytes = 0
  readonly #queue = new Ring<Uint8Array>()
  readonly #handler: ReceiveHandler
  readonly #onError: (error: CometError) => void
  readonly #onPressure: (over: boolean) => void
  #busyBytes = -1
  #over = false
  #closed = false

  constructor(
    channelId: number,
    bound: number,
    handler: ReceiveHandler,
    onError: (error: CometError) => void,
    onPressure: (over: boolean) => void
  ) {
    this.channelId = channelId
    this.bound = bound
    this.#handler = handler
    this.#onError = onError
    this.#onPressure = onPressure
  }

  /** True while the pending bytes exceed the bound. */
  get over(): boolean {
    return this.#over
  }

  /** Hands `message` to the handler now, or queues it behind the one being handled. */
  deliver(message: Uint8Array): void {
    if (this.#closed) return
    if (this.#busyBytes >= 0) {
      this.#queue.push(message)
      this.pendingBytes += message.length
      this.#checkPressure()
      return
    }
    this.#invoke(message)
    this.#checkPressure()
  }

  /** Drops queued messages and ignores handlers still running. */
  close(): void {
    this.#closed = true
    this.#queue.drain()
    this.pendingBytes = 0
    this.#over = false
  }

  #invoke(message: Uint8Array): void {
    let result: void | PromiseLike<void>
    try {
      result = this.#handler(this.channelId, message)
    } catch (err) {
      this.#onError(new ReceiveHandlerError(this.channelId, err))
      return
    }
    if (result === undefined || typeof (result as Partial<PromiseLike<void>>).then !== 'function') return
    this.#busyBytes = message.length
    this.pendingBytes += message.length
    result.then(this.#settled, this.#rejected)
  }

  readonly #settled = (): void => {
    if (this.#closed) return
    this.pendingBytes -= this.#busyBytes
    this.#busyBytes = -1
    while (this.#busyBytes < 0 && this.#queue.length > 0 && !this.#closed) {
      const next = this.#queue.shift() as Uint8Array
      this.pendingBytes -= next.length
      this.#invoke(next)
    }
    if (!this.#closed) this.#checkPressure()
  }

  readonly #rejected = (err: unknown): void => {
    if (!this.#closed) this.#onError(new ReceiveHandlerError(this.channelId, err))
  }

  #checkPressure(): void {
    const over = this.pendingBytes > this.bound
    if (over === this.#over) return
    this.#over = over
    this.#onPressure(over)
  }
}
