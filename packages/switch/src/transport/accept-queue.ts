import { abortErrorFor } from '@comet-p2p/types'

interface Waiter<T> {
  resolve(item: T): void
  reject(err: unknown): void
  detach(): void
}

/**
 * Upgraded inbound connections waiting for `accept()`, and `accept()` calls
 * waiting for a connection. `onLeave` runs once for every item, when it is
 * handed to a caller, removed, or dropped by `close`.
 */
export class AcceptQueue<T> {
  readonly #items: T[] = []
  readonly #waiters: Waiter<T>[] = []
  readonly #onLeave: (item: T) => void
  #closed: Error | undefined

  constructor(onLeave: (item: T) => void) {
    this.#onLeave = onLeave
  }

  /** Number of items waiting for a caller. */
  get length(): number {
    return this.#items.length
  }

  /** Hands `item` to the oldest waiting caller, or queues it. */
  push(item: T): void {
    const waiter = this.#waiters.shift()
    if (waiter !== undefined) {
      waiter.detach()
      this.#onLeave(item)
      waiter.resolve(item)
      return
    }
    this.#items.push(item)
  }

  /** Removes a queued item (e.g. its connection closed while waiting); false if it is not queued. */
  remove(item: T): boolean {
    const index = this.#items.indexOf(item)
    if (index < 0) return false
    this.#items.splice(index, 1)
    this.#onLeave(item)
    return true
  }

  /** The oldest queued item, or the next one pushed. Rejects with the close error, or on abort. */
  take(signal?: AbortSignal): Promise<T> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed)
    if (signal?.aborted === true) return Promise.reject(abortErrorFor(signal))
    const item = this.#items.shift()
    if (item !== undefined) {
      this.#onLeave(item)
      return Promise.resolve(item)
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter)
        if (index >= 0) this.#waiters.splice(index, 1)
        reject(abortErrorFor(signal as AbortSignal))
      }
      const waiter: Waiter<T> = {
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiters.push(waiter)
    })
  }

  /** Rejects every waiting caller with `error` (and every later `take`) and returns the items still queued. */
  close(error: Error): T[] {
    this.#closed = error
    for (const waiter of this.#waiters.splice(0)) {
      waiter.detach()
      waiter.reject(error)
    }
    const items = this.#items.splice(0)
    for (const item of items) this.#onLeave(item)
    return items
  }
}
