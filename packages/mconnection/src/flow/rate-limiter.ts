import type { Clock } from '@comet-p2p/types'

/**
 * A token bucket in bytes: `rate` bytes per second flow in, up to `burst`
 * bytes are stored. A transfer may start while the balance is positive and
 * takes it below zero by its size, so limits hold on average without
 * splitting packets; the next transfer waits until the debt is repaid.
 * The reference's flowrate limiter allows rate x 100 ms per 100 ms sample;
 * the default burst here is the same amount, spread smoothly.
 */
export class TokenBucket {
  /** Bytes per second; `Infinity` for no limit. */
  readonly rate: number
  readonly burst: number
  readonly #clock: Clock
  #tokens: number
  #last: number

  constructor(rate: number, clock: Clock, burst = Math.max(1, rate / 10)) {
    this.rate = rate
    this.burst = burst
    this.#clock = clock
    this.#tokens = burst
    this.#last = clock.now()
  }

  /** True when the bucket never limits. */
  get unlimited(): boolean {
    return this.rate === Number.POSITIVE_INFINITY
  }

  /** Milliseconds until a transfer may start (0: now). */
  delayMs(): number {
    if (this.unlimited) return 0
    this.#refill()
    return this.#tokens > 0 ? 0 : Math.ceil(((1 - this.#tokens) * 1000) / this.rate)
  }

  /** Records `n` transferred bytes. */
  consume(n: number): void {
    if (this.unlimited) return
    this.#refill()
    this.#tokens -= n
  }

  #refill(): void {
    const now = this.#clock.now()
    const elapsed = now - this.#last
    if (elapsed <= 0) return
    this.#last = now
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed * this.rate) / 1000)
  }
}
