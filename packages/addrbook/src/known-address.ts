import type { NetAddress, NodeId } from '@comet-p2p/types'
import { addMs, compareTime, isZeroTime, timeToDate, ZERO_TIME, type GoTime } from './go-time.js'
import {
  BUCKET_TYPE_NEW,
  BUCKET_TYPE_OLD,
  DAY_MS,
  MAX_FAILURES,
  MIN_BAD_DAYS,
  NUM_MISSING_DAYS,
  NUM_RETRIES,
  RECENT_ATTEMPT_GRACE_MS,
  type BucketType
} from './params.js'

/** Largest value of the reference's `int32` attempts counter. */
const MAX_ATTEMPTS = 2 ** 31 - 1

/**
 * A read-only copy of one address book entry, as `listOfKnownAddresses`
 * returns it. Times are `null` when never set (Go's zero time in the file).
 */
export interface KnownAddressInfo {
  /** The peer's address. */
  readonly addr: NetAddress
  /** Where we learnt it (the peer that told us, the peer itself, or our own address). */
  readonly src: NetAddress
  /** Indices of the buckets holding it: up to four new buckets, or exactly one old bucket. */
  readonly buckets: readonly number[]
  /** Connection attempts since the last success. */
  readonly attempts: number
  /** `new` (not yet known to be good) or `old` (marked good). */
  readonly bucketType: 'new' | 'old'
  /** Last connection attempt (also set when the entry is created or marked good). */
  readonly lastAttempt: Date | null
  /** Last time the peer was marked good. */
  readonly lastSuccess: Date | null
  /** Until when the peer is (or was last) banned. */
  readonly lastBanTime: Date | null
}

/**
 * One entry of the book, keyed by node ID: the reference `knownAddress`.
 * Internal and mutable; the book hands out {@link KnownAddressInfo} copies.
 */
export class KnownAddress {
  readonly addr: NetAddress
  readonly src: NetAddress
  /** `addr.toString()`, the key of the entry inside a bucket. */
  readonly key: string
  buckets: number[]
  attempts: number
  bucketType: BucketType
  lastAttempt: GoTime
  lastSuccess: GoTime
  lastBanTime: GoTime

  constructor(addr: NetAddress, src: NetAddress, fields: Partial<Omit<KnownAddress, 'addr' | 'src' | 'key'>> = {}) {
    this.addr = addr
    this.src = src
    this.key = addr.toString()
    this.buckets = fields.buckets ?? []
    this.attempts = fields.attempts ?? 0
    this.bucketType = fields.bucketType ?? BUCKET_TYPE_NEW
    this.lastAttempt = fields.lastAttempt ?? ZERO_TIME
    this.lastSuccess = fields.lastSuccess ?? ZERO_TIME
    this.lastBanTime = fields.lastBanTime ?? ZERO_TIME
  }

  get id(): NodeId {
    return this.addr.id
  }

  isOld(): boolean {
    return this.bucketType === BUCKET_TYPE_OLD
  }

  isNew(): boolean {
    return this.bucketType === BUCKET_TYPE_NEW
  }

  /** A connection attempt: the counter saturates at the file format's int32 limit. */
  markAttempt(now: GoTime): void {
    this.lastAttempt = now
    if (this.attempts < MAX_ATTEMPTS) this.attempts++
  }

  markGood(now: GoTime): void {
    this.lastAttempt = now
    this.lastSuccess = now
    this.attempts = 0
  }

  /** Bans until `now + banTimeMs`, never shortening a longer ban. */
  ban(now: GoTime, banTimeMs: number): void {
    const until = addMs(now, banTimeMs)
    if (compareTime(this.lastBanTime, until) < 0) this.lastBanTime = until
  }

  isBanned(now: GoTime): boolean {
    return compareTime(this.lastBanTime, now) > 0
  }

  /** Records membership of a bucket; returns the new count, or -1 when it was already there. */
  addBucketRef(index: number): number {
    if (this.buckets.includes(index)) return -1
    this.buckets.push(index)
    return this.buckets.length
  }

  /** Forgets membership of a bucket; returns the remaining count, or -1 when it was not there. */
  removeBucketRef(index: number): number {
    const at = this.buckets.indexOf(index)
    if (at === -1) return -1
    this.buckets.splice(at, 1)
    return this.buckets.length
  }

  /**
   * The reference's `isBad`: a new entry not attempted in the last minute
   * that was last attempted over a week ago, or failed
   * {@link NUM_RETRIES} times without ever succeeding, or failed
   * {@link MAX_FAILURES} times with no success in the last week. Old
   * entries are never bad. Bad entries are evicted first from a full bucket.
   */
  isBad(now: GoTime): boolean {
    return this.isBadAt(badnessCutoffs(now))
  }

  /** {@link KnownAddress.isBad} with the cut-off times computed once for a whole bucket. */
  isBadAt(cutoffs: BadnessCutoffs): boolean {
    if (this.isOld()) return false
    if (compareTime(this.lastAttempt, cutoffs.recentAttempt) > 0) return false
    if (compareTime(this.lastAttempt, cutoffs.missing) < 0) return true
    if (isZeroTime(this.lastSuccess) && this.attempts >= NUM_RETRIES) return true
    return compareTime(this.lastSuccess, cutoffs.lastSuccess) < 0 && this.attempts >= MAX_FAILURES
  }

  info(): KnownAddressInfo {
    return Object.freeze({
      addr: this.addr,
      src: this.src,
      buckets: Object.freeze([...this.buckets]),
      attempts: this.attempts,
      bucketType: this.isOld() ? 'old' : 'new',
      lastAttempt: timeToDate(this.lastAttempt),
      lastSuccess: timeToDate(this.lastSuccess),
      lastBanTime: timeToDate(this.lastBanTime)
    })
  }
}

/** The instants that {@link KnownAddress.isBad} compares against, for one moment `now`. */
export interface BadnessCutoffs {
  /** Attempts after this are recent: the entry is not bad. */
  readonly recentAttempt: GoTime
  /** Last attempts before this mean the address vanished. */
  readonly missing: GoTime
  /** Successes before this no longer excuse repeated failures. */
  readonly lastSuccess: GoTime
}

/** The cut-offs of the badness rules at `now`. */
export function badnessCutoffs(now: GoTime): BadnessCutoffs {
  return {
    recentAttempt: addMs(now, -RECENT_ATTEMPT_GRACE_MS),
    missing: addMs(now, -NUM_MISSING_DAYS * DAY_MS),
    lastSuccess: addMs(now, -MIN_BAD_DAYS * DAY_MS)
  }
}
