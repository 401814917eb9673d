import type { AddrBookLike } from '@comet-p2p/addrbook'
import type { Peer, SwitchLike } from '@comet-p2p/switch'
import type { Clock, CometError, Logger, NetAddress } from '@comet-p2p/types'
import type { PexReactorConfig } from './config.js'
import type { PexMetrics, PexStats } from './stats.js'
import type { TaskSet } from './tasks.js'

/** What the reactor shares with its peer manager and crawler while it runs. */
export interface PexContext {
  readonly sw: SwitchLike
  readonly book: AddrBookLike
  readonly config: Readonly<PexReactorConfig>
  readonly clock: Clock
  readonly random: () => number
  readonly logger: Logger
  readonly stats: PexStats
  readonly metrics: PexMetrics
  readonly tasks: TaskSet
  /** Fires when the reactor stops: dials in progress are abandoned. */
  readonly signal: AbortSignal
  /** The resolved seeds. */
  readonly seeds: readonly NetAddress[]
  /** Asks `peer` for addresses unless a request to it is outstanding. */
  requestAddrs(peer: Peer): void
}

/** A uniform integer in [0, n), tolerant of a source returning exactly 1. */
export function randomInt(random: () => number, n: number): number {
  return Math.min(n - 1, Math.max(0, Math.floor(random() * n)))
}

/** The indexes 0..n-1 in random order (Fisher–Yates). */
export function permutation(n: number, random: () => number): number[] {
  const out = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(random, i + 1)
    const tmp = out[i] as number
    out[i] = out[j] as number
    out[j] = tmp
  }
  return out
}

/** Whether `err` is a comet error with this code (works across duplicate copies of a package). */
export function hasCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as Partial<CometError>).code === code
}

/** A message for logs. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
