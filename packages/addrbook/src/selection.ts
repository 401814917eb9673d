import type { NetAddress } from '@comet-p2p/types'
import type { Bucket, BucketStore } from './buckets.js'
import type { KnownAddress } from './known-address.js'
import { GET_SELECTION_PERCENT, MAX_GET_SELECTION, MIN_GET_SELECTION } from './params.js'

/** A source of uniform random numbers in [0, 1), like `Math.random`. */
export type RandomSource = () => number

/** A uniform integer in [0, n); tolerant of a source that returns exactly 1. */
export function randomInt(random: RandomSource, n: number): number {
  return Math.min(n - 1, Math.max(0, Math.floor(random() * n)))
}

/** A bias clamped to 0..100 (NaN counts as 0), as the reference clamps it. */
export function clampBias(bias: number): number {
  return Number.isNaN(bias) ? 0 : Math.min(100, Math.max(0, bias))
}

/**
 * How many addresses a selection from a book of `bookSize` holds:
 * {@link GET_SELECTION_PERCENT} percent of the book (rounded down), at
 * least {@link MIN_GET_SELECTION} or the whole book if it is smaller, at
 * most {@link MAX_GET_SELECTION}.
 */
export function selectionSize(bookSize: number): number {
  const share = Math.floor((bookSize * GET_SELECTION_PERCENT) / 100)
  return Math.min(MAX_GET_SELECTION, Math.max(Math.min(MIN_GET_SELECTION, bookSize), share))
}

/**
 * The reference `PickAddress`: chooses old or new with weights
 * `sqrt(nOld)·(100 − bias)` and `sqrt(nNew)·bias`, then a uniformly random
 * non-empty bucket of that kind, then a uniformly random entry in it.
 * `undefined` when the book is empty or the chosen kind has no entries.
 */
export function pickAddress(store: BucketStore, bias: number, random: RandomSource): NetAddress | undefined {
  if (store.size <= 0) return undefined
  const b = clampBias(bias)
  const oldWeight = Math.sqrt(store.nOld) * (100 - b)
  const newWeight = Math.sqrt(store.nNew) * b
  const pickOld = (oldWeight + newWeight) * random() < oldWeight
  if ((pickOld && store.nOld === 0) || (!pickOld && store.nNew === 0)) return undefined
  // The reference draws buckets until it hits a non-empty one; choosing
  // among the non-empty buckets directly gives the same distribution and
  // cannot spin on a degenerate random source.
  const candidates = (pickOld ? store.oldBuckets : store.newBuckets).filter((bucket) => bucket.size > 0)
  const bucket = candidates[randomInt(random, candidates.length)]
  return bucket === undefined ? undefined : nthEntry(bucket, randomInt(random, bucket.size))?.addr
}

function nthEntry(bucket: Bucket, n: number): KnownAddress | undefined {
  let i = 0
  for (const ka of bucket.values()) if (i++ === n) return ka
  return undefined
}

/** The reference `GetSelection`: a uniformly random subset of the book, of {@link selectionSize}. */
export function getSelection(store: BucketStore, random: RandomSource): NetAddress[] {
  const all = [...store.lookup.values()]
  const count = selectionSize(all.length)
  partialShuffle(all, count, random)
  return all.slice(0, count).map((ka) => ka.addr)
}

/**
 * The reference `GetSelectionWithBias`: {@link selectionSize} addresses,
 * first `max(round(bias% of it), size − nOld)` random new ones (fewer if
 * the book has fewer), then random old ones for the rest. Empty for an
 * empty book.
 */
export function getSelectionWithBias(store: BucketStore, bias: number, random: RandomSource): NetAddress[] {
  const size = store.size
  if (size <= 0) return []
  const count = selectionSize(size)
  const wantNew = Math.max(Math.round((clampBias(bias) / 100) * count), count - store.nOld)
  const selection = randomFromBuckets(store.newBuckets, wantNew, random)
  return selection.concat(randomFromBuckets(store.oldBuckets, count - selection.length, random))
}

/**
 * Up to `count` distinct addresses from `buckets`, in random order. As in
 * the reference, an entry in several buckets is proportionally more likely
 * to be drawn early.
 */
function randomFromBuckets(buckets: readonly Bucket[], count: number, random: RandomSource): NetAddress[] {
  if (count <= 0) return []
  const pool: KnownAddress[] = []
  for (const bucket of buckets) for (const ka of bucket.values()) pool.push(ka)
  const chosen = new Set<string>()
  const out: NetAddress[] = []
  for (let i = 0; i < pool.length && out.length < count; i++) {
    swap(pool, i, i + randomInt(random, pool.length - i))
    const ka = pool[i]
    if (ka === undefined || chosen.has(ka.key)) continue
    chosen.add(ka.key)
    out.push(ka.addr)
  }
  return out
}

/** Fisher–Yates on the first `count` positions only: they end up a uniform random sample. */
function partialShuffle<T>(items: T[], count: number, random: RandomSource): void {
  for (let i = 0; i < count && i < items.length; i++) swap(items, i, i + randomInt(random, items.length - i))
}

function swap<T>(items: T[], i: number, j: number): void {
  const a = items[i] as T
  items[i] = items[j] as T
  items[j] = a
}
