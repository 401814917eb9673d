import { abortErrorFor, type Clock } from '@comet-p2p/types'
import { Ring } from './ring.js'

interface Waiter {
  message: Uint8Array
  deadline: number
  resolve: (queued: boolean) => void
  reject: (error: Error) => void
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
  settled: boolean
}

const QUEUED: Promise<boolean> = Promise.resolve(true)
const REFUSED: Promise<boolean> = Promise.resolve(false)

/**
 * The outgoing message queue of one channel: at most `capacity` messages
 * wait, and callers of {@link send} wait in FIFO order for room, each for up
 * to `timeoutMs`. All waiters share one timer: they queue in deadline order
 * (same timeout for all), so the timer only ever needs the oldest deadline.
 */
export class SendQueue {
  readonly capacity: number
  readonly #timeoutMs: number
  readonly #clock: Clock
  readonly #messages: Ring<Uint8Array>
  readonly #waiters = new Ring<Waiter>()
  #timer: ReturnType<typeof setTimeout> | undefined
  #closed = false

  constructor(capacity: number, timeoutMs: number, clock: Clock) {
    this.capacity = capacity
    this.#timeoutMs = timeoutMs
    this.#clock = clock
    this.#messages = new Ring(Math.min(capacity, 64))
  }

  /** Queued messages (not counting waiters). */
  get size(): number {
    return this.#messages.length
  }

  /** True if a message can be queued right now. */
  hasRoom(): boolean {
    return !this.#closed && this.#waiters.length === 0 && this.#messages.length < this.capacity
  }

  /** Queues `message` if there is room (and nobody waits before it). */
  trySend(message: Uint8Array): boolean {
    if (!this.hasRoom()) return false
    this.#messages.push(message)
    return true
  }

  /**
   * Queues `message`, waiting for room if needed. Resolves `true` once
   * queued, `false` on timeout or when the queue closes; rejects with an
   * AbortError if `signal` fires first.
   */
  send(message: Uint8Array, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.trySend(message)) return QUEUED
    if (this.#closed) return REFUSED
    if (signal?.aborted === true) return Promise.reject(abortErrorFor(signal))
    if (this.#timeoutMs === 0) return REFUSED
    return new Promise<boolean>((resolve, reject) => {
      const waiter: Waiter = {
        message,
        deadline: this.#clock.now() + this.#timeoutMs,
        resolve,
        reject,
        signal,
        onAbort: undefined,
        settled: false
      }
      if (signal !== undefined) {
        waiter.onAbort = () => this.#settle(waiter, false, abortErrorFor(signal))
        signal.addEventListener('abort', waiter.onAbort, { once: true })
      }
      this.#waiters.push(waiter)
      this.#armTimer()
    })
  }

  /** Takes the oldest message, letting the oldest waiter (if any) into the queue. */
  shift(): Uint8Array | undefined {
    const message = this.#messages.shift()
    if (message !== undefined) this.#admitWaiters()
    return message
  }

  /** Refuses all waiters (they resolve `false`) and any further message. Queued messages stay for a final flush. */
  close(): void {
    this.#closed = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    for (const waiter of this.#waiters.drain()) this.#settle(waiter, false)
  }

  /** Drops the queued messages (after close, when nothing more will be sent). */
  clear(): void {
    this.#messages.drain()
  }

  #admitWaiters(): void {
    while (this.#messages.length < this.capacity) {
      const waiter = this.#waiters.shift()
      if (waiter === undefined) return
      if (waiter.settled) continue
      this.#messages.push(waiter.message)
      this.#settle(waiter, true)
    }
  }

  #settle(waiter: Waiter, queued: boolean, error?: Error): void {
    if (waiter.settled) return
    waiter.settled = true
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort)
    if (error === undefined) waiter.resolve(queued)
    else waiter.reject(error)
  }

  #armTimer(): void {
    if (this.#timer !== undefined) return
    const head = this.#oldestWaiter()
    if (head === undefined) return
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, head.deadline - this.#clock.now()))
  }

  #expire(): void {
    this.#timer = undefined
    const now = this.#clock.now()
    for (let head = this.#oldestWaiter(); head !== undefined && head.deadline <= now; head = this.#oldestWaiter()) {
      this.#waiters.shift()
      this.#settle(head, false)
    }
    this.#armTimer()
  }

  /** The oldest waiter still pending, dropping aborted ones from the front. */
  #oldestWaiter(): Waiter | undefined {
    let head = this.#waiters.peek()
    while (head?.settled === true) {
      this.#waiters.shift()
      head = this.#waiters.peek()
    }
    return head
  }
}
