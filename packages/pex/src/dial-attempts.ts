import type { NetAddress } from '@comet-p2p/types'

/** Failed dials of one address (the reference `_attemptsToDial`). */
export interface DialAttemptsInfo {
  /** Failed dials since the last success. */
  attempts: number
  /** When the last one was made (clock milliseconds). */
  lastDialedMs: number
}

/**
 * Failed dials per address, keyed like the reference by `ip:port` (the dial
 * string), cleared on a successful dial.
 */
export class DialAttempts {
  readonly #byAddr = new Map<string, DialAttemptsInfo>()

  /** The record of `addr`; zero attempts when it never failed. */
  get(addr: NetAddress): DialAttemptsInfo {
    return this.#byAddr.get(addr.dialString()) ?? { attempts: 0, lastDialedMs: 0 }
  }

  /** Records one more failed dial at `now`. */
  failed(addr: NetAddress, now: number): void {
    const previous = this.get(addr).attempts
    this.#byAddr.set(addr.dialString(), { attempts: previous + 1, lastDialedMs: now })
  }

  /** Forgets the address (dialed successfully, or removed from the book). */
  clear(addr: NetAddress): void {
    this.#byAddr.delete(addr.dialString())
  }

  /** Number of addresses with failures on record. */
  get size(): number {
    return this.#byAddr.size
  }

  clearAll(): void {
    this.#byAddr.clear()
  }
}

/** What the backoff of one address depends on. */
export interface BackoffSettings {
  dialBackoffUnitMs: number
  dialJitterMs: number
  maxBackoffMs: number
  persistentPeersMaxDialPeriodMs: number
}

/**
 * How long to wait after the last of `attempts` failed dials before dialing
 * again: `2^attempts` units plus a random jitter below `dialJitterMs`,
 * capped at `persistentPeersMaxDialPeriodMs` for persistent peers (when
 * set, as the reference `maxBackoffDurationForPeer`) and at `maxBackoffMs`.
 */
export function dialBackoffMs(attempts: number, persistent: boolean, settings: BackoffSettings, random: () => number): number {
  if (attempts <= 0) return 0
  let backoff = random() * settings.dialJitterMs + 2 ** attempts * settings.dialBackoffUnitMs
  const persistentCap = settings.persistentPeersMaxDialPeriodMs
  if (persistent && persistentCap > 0 && backoff > persistentCap) backoff = persistentCap
  return Math.min(backoff, settings.maxBackoffMs)
}
