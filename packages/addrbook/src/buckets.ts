import type { Logger, NodeId } from '@comet-p2p/types'
import type { BucketHasher } from './bucket-hash.js'
import { compareTime, type GoTime } from './go-time.js'
import { badnessCutoffs, type KnownAddress } from './known-address.js'
import { BUCKET_TYPE_NEW, BUCKET_TYPE_OLD, NEW_BUCKET_COUNT, OLD_BUCKET_COUNT, type BucketType } from './params.js'

/** One bucket: entries keyed by `addr.toString()`. */
export type Bucket = Map<string, KnownAddress>

/** Capacities of the buckets. */
export interface BucketLimits {
  readonly newBucketSize: number
  readonly oldBucketSize: number
}

/**
 * The buckets and the by-ID index of the book, with the reference's bucket
 * operations (`addToNewBucket`, `moveToOld`, `expireNew`...). Every entry
 * of `lookup` is in one to four new buckets or in exactly one old bucket,
 * and `nNew`/`nOld` count the entries of each kind.
 */
export class BucketStore {
  readonly newBuckets: Bucket[] = Array.from({ length: NEW_BUCKET_COUNT }, (): Bucket => new Map())
  readonly oldBuckets: Bucket[] = Array.from({ length: OLD_BUCKET_COUNT }, (): Bucket => new Map())
  /** Entries by node ID. */
  readonly lookup = new Map<NodeId, KnownAddress>()
  nNew = 0
  nOld = 0
  readonly hasher: BucketHasher
  readonly #limits: BucketLimits
  readonly #logger: Logger

  constructor(hasher: BucketHasher, limits: BucketLimits, logger: Logger) {
    this.hasher = hasher
    this.#limits = limits
    this.#logger = logger
  }

  get size(): number {
    return this.nNew + this.nOld
  }

  bucket(type: BucketType, index: number): Bucket {
    const bucket = type === BUCKET_TYPE_NEW ? this.newBuckets[index] : this.oldBuckets[index]
    if (bucket === undefined) throw new RangeError(`no bucket ${index} of type ${type}`)
    return bucket
  }

  /** Puts an entry read from a file back into the buckets its record names (already validated). */
  insertLoaded(ka: KnownAddress): void {
    for (const index of ka.buckets) this.bucket(ka.bucketType, index).set(ka.key, ka)
    this.lookup.set(ka.id, ka)
    if (ka.isNew()) this.nNew++
    else this.nOld++
  }

  /**
   * Adds a new entry to new bucket `index`, first evicting from the bucket if
   * it is full. The reference evicts only once a bucket holds more than its
   * size, so its buckets reach size + 1; here a bucket never exceeds its size.
   */
  addToNew(ka: KnownAddress, index: number, now: GoTime): void {
    if (ka.isOld()) {
      this.#logger.error('address book: refusing to put an old entry in a new bucket', { addr: ka.key, bucket: index })
      return
    }
    const bucket = this.bucket(BUCKET_TYPE_NEW, index)
    if (bucket.has(ka.key)) return
    while (bucket.size >= this.#limits.newBucketSize) this.#expireNew(index, now)
    bucket.set(ka.key, ka)
    if (ka.addBucketRef(index) === 1) this.nNew++
    this.lookup.set(ka.id, ka)
  }

  /** Adds an old entry (in no bucket yet) to old bucket `index`; false when the bucket is full. */
  #addToOld(ka: KnownAddress, index: number): boolean {
    if (ka.isNew() || ka.buckets.length !== 0) {
      this.#logger.error('address book: entry cannot go into an old bucket', { addr: ka.key, bucket: index })
      return false
    }
    const bucket = this.bucket(BUCKET_TYPE_OLD, index)
    if (bucket.has(ka.key)) return true
    if (bucket.size >= this.#limits.oldBucketSize) return false
    bucket.set(ka.key, ka)
    if (ka.addBucketRef(index) === 1) this.nOld++
    this.lookup.set(ka.id, ka)
    return true
  }

  /** Takes an entry out of one bucket; an entry left in no bucket leaves the book. */
  removeFromBucket(ka: KnownAddress, type: BucketType, index: number): void {
    if (ka.bucketType !== type) {
      this.#logger.error('address book: bucket type mismatch', { addr: ka.key, bucket: index })
      return
    }
    this.bucket(type, index).delete(ka.key)
    if (ka.removeBucketRef(index) === 0) this.#forget(ka)
  }

  /** Takes an entry out of every bucket and out of the book. */
  removeFromAll(ka: KnownAddress): void {
    for (const index of ka.buckets) this.bucket(ka.bucketType, index).delete(ka.key)
    ka.buckets = []
    this.#forget(ka)
  }

  #forget(ka: KnownAddress): void {
    if (ka.isNew()) this.nNew--
    else this.nOld--
    if (this.lookup.get(ka.id) === ka) this.lookup.delete(ka.id)
  }

  /**
   * Promotes a new entry to its old bucket. While that bucket is full, its
   * oldest entry is demoted to a new bucket. (The reference demotes without
   * first making the entry new again, so its consistency check refuses the
   * move and the demoted entry silently leaves the book.)
   */
  moveToOld(ka: KnownAddress, now: GoTime): void {
    if (ka.isOld() || ka.buckets.length === 0) return
    this.removeFromAll(ka)
    ka.bucketType = BUCKET_TYPE_OLD
    const index = this.hasher.oldBucket(ka.addr)
    const bucket = this.bucket(BUCKET_TYPE_OLD, index)
    while (bucket.size >= this.#limits.oldBucketSize) {
      const oldest = pickOldest(bucket)
      if (oldest === undefined) break
      this.removeFromBucket(oldest, BUCKET_TYPE_OLD, index)
      oldest.bucketType = BUCKET_TYPE_NEW
      this.addToNew(oldest, this.hasher.newBucket(oldest.addr, oldest.src), now)
      this.#logger.debug('address book: demoted an old address to make room', { addr: oldest.key })
    }
    if (!this.#addToOld(ka, index)) {
      this.#logger.error('address book: could not promote address', { addr: ka.key, bucket: index })
    }
  }

  /** Makes room in a new bucket: drops its first bad entry, or else its oldest. */
  #expireNew(index: number, now: GoTime): void {
    const bucket = this.bucket(BUCKET_TYPE_NEW, index)
    const cutoffs = badnessCutoffs(now)
    let victim: KnownAddress | undefined
    for (const ka of bucket.values()) {
      if (ka.isBadAt(cutoffs)) {
        victim = ka
        break
      }
    }
    victim ??= pickOldest(bucket)
    if (victim === undefined) return
    this.#logger.debug('address book: new bucket full, expiring an address', { addr: victim.key, bucket: index })
    this.removeFromBucket(victim, BUCKET_TYPE_NEW, index)
  }
}

/** The entry of a bucket with the earliest last attempt (the first one on a tie). */
export function pickOldest(bucket: Bucket): KnownAddress | undefined {
  let oldest: KnownAddress | undefined
  for (const ka of bucket.values()) {
    if (oldest === undefined || compareTime(ka.lastAttempt, oldest.lastAttempt) < 0) oldest = ka
  }
  return oldest
}
