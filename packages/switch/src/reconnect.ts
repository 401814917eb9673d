import type { SwitchConfig } from './config.js'

/** The settings the reconnect schedule depends on. */
export type ReconnectSettings = Pick<
  SwitchConfig,
  | 'reconnectAttempts'
  | 'reconnectIntervalMs'
  | 'reconnectBackOffAttempts'
  | 'reconnectBackOffBase'
  | 'reconnectBackOffUnitMs'
  | 'dialRandomizerIntervalMs'
  | 'persistentPeersMaxDialPeriodMs'
>

/** A random delay in `[0, dialRandomizerIntervalMs)`, whole milliseconds, as the reference's `randomSleep`. */
export function dialJitter(settings: Pick<SwitchConfig, 'dialRandomizerIntervalMs'>, random: () => number): number {
  return Math.floor(random() * settings.dialRandomizerIntervalMs)
}

/**
 * The pause before each redial of a persistent peer, in order; the
 * iteration ends when the switch should give up. The reference
 * (`reconnectToPeer`) dials at once, then sleeps `interval + jitter` after
 * each of its `reconnectAttempts` failed attempts, then for each backoff
 * attempt n = 0, 1, ... sleeps `unit * base^n + jitter` before dialing. So
 * the first backoff attempt follows two sleeps, which this reproduces.
 *
 * With `persistentPeersMaxDialPeriodMs` > 0 every sleep is capped at that
 * value and the backoff never ends (the documented meaning of
 * `persistent_peers_max_dial_period`; in the reference only the PEX reactor
 * applies the cap, and the switch gives up regardless).
 */
export function* reconnectSchedule(settings: ReconnectSettings, random: () => number): Generator<number, void, undefined> {
  const cap = settings.persistentPeersMaxDialPeriodMs
  const capped = (ms: number): number => (cap > 0 ? Math.min(ms, cap) : ms)
  const jitter = (): number => dialJitter(settings, random)
  let carry = 0
  for (let i = 0; i < settings.reconnectAttempts; i++) {
    if (i === 0) yield 0
    else yield carry
    carry = capped(settings.reconnectIntervalMs + jitter())
  }
  for (let n = 0; cap > 0 || n < settings.reconnectBackOffAttempts; n++) {
    const backoff = settings.reconnectBackOffUnitMs * settings.reconnectBackOffBase ** n
    yield carry + capped(backoff + jitter())
    carry = 0
  }
}
