import type { Clock } from '@comet-p2p/types'

/** Transfer statistics of one direction of a connection. Rates are bytes per second, rounded. */
export interface FlowStatus {
  /** When the monitor started (ms since the epoch). */
  startedAt: number
  /** Bytes transferred. */
  bytes: number
  /** Completed samples. */
  samples: number
  /** Rate over the last completed sample. */
  instRate: number
  /** Exponential moving average of the sample rates (1 s window). */
  curRate: number
  /** `bytes` over the time covered by completed samples. */
  avgRate: number
  /** Highest sample rate seen. */
  peakRate: number
  /** Time covered by completed samples, ms. */
  durationMs: number
  /** Time since the last transfer of at least one byte, ms. */
  idleMs: number
}

/**
 * Measures a byte flow in samples of `sampleMs` (default 100 ms), keeping an
 * exponential moving average over `windowMs` (default 1 s): the statistics
 * of the reference's flowrate monitor, minus its limiting (rate limits are
 * {@link TokenBucket}'s job) and its 20 ms clock rounding. Updates are lazy:
 * no timer runs.
 */
export class FlowMonitor {
  readonly #clock: Clock
  readonly #sampleMs: number
  readonly #windowMs: number
  readonly #start: number
  #bytes = 0
  #samples = 0
  #sampleBytes = 0
  #sampleStart: number
  #lastActive: number
  #instRate = 0
  #emaRate = 0
  #peakRate = 0

  constructor(clock: Clock, sampleMs = 100, windowMs = 1000) {
    this.#clock = clock
    this.#sampleMs = sampleMs
    this.#windowMs = windowMs
    this.#start = clock.now()
    this.#sampleStart = this.#start
    this.#lastActive = this.#start
  }

  /** Records `n` transferred bytes (`now`: the time, if the caller has just read the clock). */
  update(n: number, now = this.#clock.now()): void {
    this.#roll(now)
    if (n > 0) {
      this.#sampleBytes += n
      this.#lastActive = now
    }
  }

  /** Current statistics. */
  status(): FlowStatus {
    const now = this.#clock.now()
    this.#roll(now)
    const durationMs = this.#sampleStart - this.#start
    return {
      startedAt: this.#start,
      bytes: this.#bytes + this.#sampleBytes,
      samples: this.#samples,
      instRate: Math.round(this.#instRate),
      curRate: Math.round(this.#emaRate),
      avgRate: durationMs > 0 ? Math.round((this.#bytes * 1000) / durationMs) : 0,
      peakRate: Math.round(this.#peakRate),
      durationMs,
      idleMs: now - this.#lastActive
    }
  }

  /** Closes the current sample if it is over. */
  #roll(now: number): void {
    const elapsed = now - this.#sampleStart
    if (elapsed >= this.#sampleMs) {
      const rate = (this.#sampleBytes * 1000) / elapsed
      this.#instRate = rate
      if (rate > this.#peakRate) this.#peakRate = rate
      // Longer samples weigh more, as in a load average.
      this.#emaRate = this.#samples === 0 ? rate : rate + Math.exp(-elapsed / this.#windowMs) * (this.#emaRate - rate)
      this.#samples++
      this.#bytes += this.#sampleBytes
      this.#sampleBytes = 0
      this.#sampleStart = now
    }
  }
}
