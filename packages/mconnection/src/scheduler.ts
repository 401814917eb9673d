import type { Clock } from '@comet-p2p/types'
import type { Channel } from './channel.js'

/** How often `recentlySent` decays (the reference updates channel stats every 2 s). */
export const DECAY_INTERVAL_MS = 2000
/** The factor applied at each decay step. */
export const DECAY_FACTOR = 0.8

/**
 * Chooses which channel sends the next packet, as the reference does: among
 * channels with something to send, the one with the lowest
 * `recentlySent / priority` (first declared wins ties). `recentlySent` counts
 * wire bytes and decays by {@link DECAY_FACTOR} every
 * {@link DECAY_INTERVAL_MS}, so a channel that was busy a while ago is not
 * held back forever and none starves. The decay is applied lazily, in whole
 * steps, instead of by a timer.
 */
export class Scheduler {
  readonly #channels: readonly Channel[]
  readonly #clock: Clock
  #lastDecay: number

  constructor(channels: readonly Channel[], clock: Clock) {
    this.#channels = channels
    this.#clock = clock
    this.#lastDecay = clock.now()
  }

  /** The channel to serve next, or undefined when no channel has anything to send. */
  next(): Channel | undefined {
    const channels = this.#channels
    if (channels.length === 1) {
      const only = channels[0] as Channel
      return only.isSendPending() ? only : undefined
    }
    let best: Channel | undefined
    let bestRatio = Number.POSITIVE_INFINITY
    for (const channel of channels) {
      if (!channel.isSendPending()) continue
      const ratio = channel.recentlySent / channel.priority
      if (ratio < bestRatio) {
        bestRatio = ratio
        best = channel
      }
    }
    return best
  }

  /** Applies the decay steps due by `now`. */
  decay(now = this.#clock.now()): void {
    const steps = Math.floor((now - this.#lastDecay) / DECAY_INTERVAL_MS)
    if (steps <= 0) return
    this.#lastDecay += steps * DECAY_INTERVAL_MS
    const factor = DECAY_FACTOR ** Math.min(steps, 1000)
    for (const channel of this.#channels) channel.recentlySent = Math.floor(channel.recentlySent * factor)
  }
}
