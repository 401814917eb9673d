import { InvalidArgumentError, silentLogger, systemClock, type Clock, type Logger } from '@comet-p2p/types'
import { DUMP_ADDRESS_INTERVAL_MS, NEED_ADDRESS_THRESHOLD, NEW_BUCKET_SIZE, OLD_BUCKET_SIZE } from './params.js'

/** Options of {@link AddrBook}. Every one is optional. */
export interface AddrBookOptions {
  /**
   * The `addrbook.json` to load on `start()` and save to. Without it the
   * book lives in memory only and `save()` does nothing.
   */
  filePath?: string | undefined
  /**
   * Refuse non-routable addresses and group them as `local` / `unroutable`
   * (the reference `addr_book_strict`); default `true`.
   */
  routabilityStrict?: boolean | undefined
  /** Time source for attempts, successes and bans; default the system clock. */
  clock?: Clock | undefined
  /** Uniform random numbers in [0, 1) for picks, selections and probabilistic adds; default `Math.random`. */
  random?: (() => number) | undefined
  /** Where warnings (skipped file entries, failed periodic saves) go; default silent. */
  logger?: Logger | undefined
  /** Interval of the periodic save of a started file-backed book; default {@link DUMP_ADDRESS_INTERVAL_MS}. */
  saveIntervalMs?: number | undefined
  /** Capacity of a new bucket; default {@link NEW_BUCKET_SIZE}. */
  newBucketSize?: number | undefined
  /** Capacity of an old bucket; default {@link OLD_BUCKET_SIZE}. */
  oldBucketSize?: number | undefined
  /** `needMoreAddrs()` is true below this many addresses; default {@link NEED_ADDRESS_THRESHOLD}. */
  needAddressThreshold?: number | undefined
}

/** {@link AddrBookOptions} with defaults applied and values checked. */
export interface ResolvedOptions {
  filePath: string | undefined
  routabilityStrict: boolean
  clock: Clock
  random: () => number
  logger: Logger
  saveIntervalMs: number
  newBucketSize: number
  oldBucketSize: number
  needAddressThreshold: number
}

/** Applies defaults; throws {@link InvalidArgumentError} for an unusable value. */
export function resolveOptions(options: AddrBookOptions): ResolvedOptions {
  if (options.filePath === '') throw new InvalidArgumentError('filePath must not be empty (omit it for an in-memory book)')
  return {
    filePath: options.filePath,
    routabilityStrict: options.routabilityStrict ?? true,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    logger: options.logger ?? silentLogger,
    saveIntervalMs: positive('saveIntervalMs', options.saveIntervalMs ?? DUMP_ADDRESS_INTERVAL_MS, false),
    newBucketSize: positive('newBucketSize', options.newBucketSize ?? NEW_BUCKET_SIZE, true),
    oldBucketSize: positive('oldBucketSize', options.oldBucketSize ?? OLD_BUCKET_SIZE, true),
    needAddressThreshold: nonNegativeInteger('needAddressThreshold', options.needAddressThreshold ?? NEED_ADDRESS_THRESHOLD)
  }
}

function positive(name: string, value: number, integer: boolean): number {
  // setTimeout cannot wait longer than 2^31 - 1 ms.
  const ok = Number.isFinite(value) && value > 0 && (integer ? Number.isInteger(value) : value <= 2 ** 31 - 1)
  if (!ok) throw new InvalidArgumentError(`${name} must be a positive ${integer ? 'integer' : 'number of milliseconds'}, got ${value}`)
  return value
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer, got ${value}`)
  return value
}
