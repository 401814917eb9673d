import { describe, expect, it } from 'vitest'
import { AddrBook, NEW_BUCKET_SIZE, OLD_BUCKET_SIZE, type KnownAddressInfo } from '../src/index.js'
import { KnownAddress } from '../src/known-address.js'
import { timeFromMs, ZERO_TIME } from '../src/go-time.js'
import { BUCKET_TYPE_OLD, DAY_MS } from '../src/params.js'
import { ManualClock, source, v4 } from './helpers.js'

function occupancy(infos: KnownAddressInfo[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const info of infos) for (const b of info.buckets) counts.set(`${info.bucketType}${b}`, (counts.get(`${info.bucketType}${b}`) ?? 0) + 1)
  return counts
}

/** A book whose first `n` addresses (one /16, one source) all land in the same new bucket, one second apart. */
function fullBucket(n = NEW_BUCKET_SIZE): { book: AddrBook; clock: ManualClock } {
  const clock = new ManualClock()
  const book = new AddrBook({ clock })
  for (let i = 0; i < n; i++) {
    book.addAddress(v4(i), source(1))
    clock.advance(1000)
  }
  return { book, clock }
}

describe('new bucket eviction', () => {
  it('keeps a full bucket at its size', () => {
    const { book } = fullBucket()
    const infos = book.listOfKnownAddresses()
    expect(new Set(infos.map((i) => i.buckets[0])).size).toBe(1)
    expect(book.size()).toBe(NEW_BUCKET_SIZE)
    book.addAddress(v4(NEW_BUCKET_SIZE), source(1))
    expect(book.size()).toBe(NEW_BUCKET_SIZE)
    expect(book.hasAddress(v4(NEW_BUCKET_SIZE))).toBe(true)
  })

  it('evicts the entry with the oldest last attempt when none is bad', () => {
    const { book } = fullBucket()
    book.markAttempt(v4(0)) // now the most recent attempt: no longer the oldest
    book.addAddress(v4(NEW_BUCKET_SIZE), source(1))
    expect(book.hasAddress(v4(0))).toBe(true)
    expect(book.hasAddress(v4(1))).toBe(false)
  })

  it('evicts a bad entry (3 failures, never a success) before the oldest', () => {
    const { book, clock } = fullBucket()
    for (let i = 0; i < 3; i++) book.markAttempt(v4(10))
    clock.advance(61_000) // out of the one-minute grace
    book.addAddress(v4(NEW_BUCKET_SIZE), source(1))
    expect(book.hasAddress(v4(10))).toBe(false)
    expect(book.hasAddress(v4(0))).toBe(true)
  })

  it('does not treat a recently attempted entry as bad', () => {
    const { book } = fullBucket()
    for (let i = 0; i < 3; i++) book.markAttempt(v4(10))
    book.addAddress(v4(NEW_BUCKET_SIZE), source(1))
    expect(book.hasAddress(v4(10))).toBe(true)
    expect(book.hasAddress(v4(0))).toBe(false)
  })

  it('only removes the entry from the full bucket when it is in others too', () => {
    const clock = new ManualClock()
    const book = new AddrBook({ clock, random: () => 0 })
    for (let i = 0; i < NEW_BUCKET_SIZE; i++) {
      book.addAddress(v4(i), source(1))
      clock.advance(1000)
    }
    // Give entry 0 more buckets through other sources.
    for (let g = 2; g < 40 && (book.knownAddress(v4(0))?.buckets.length ?? 0) < 2; g++) book.addAddress(v4(0), source(g))
    expect(book.knownAddress(v4(0))?.buckets.length).toBe(2)
    const sharedBucket = book.knownAddress(v4(1))?.buckets[0]
    book.addAddress(v4(NEW_BUCKET_SIZE), source(1))
    const info = book.knownAddress(v4(0))
    expect(info?.buckets).toHaveLength(1)
    expect(info?.buckets).not.toContain(sharedBucket)
    expect(book.stats().nNew).toBe(NEW_BUCKET_SIZE + 1)
  })
})

describe('isBad', () => {
  const now = timeFromMs(Date.UTC(2026, 0, 10))
  const at = (ago: number) => timeFromMs(Date.UTC(2026, 0, 10) - ago)
  const entry = (fields: ConstructorParameters<typeof KnownAddress>[2]) => new KnownAddress(v4(1), source(1), fields)

  it('follows the reference rules', () => {
    expect(entry({ lastAttempt: at(30_000), attempts: 50 }).isBad(now)).toBe(false) // attempted in the last minute
    expect(entry({ lastAttempt: at(8 * DAY_MS) }).isBad(now)).toBe(true) // not attempted for over a week
    expect(entry({ lastAttempt: at(120_000), attempts: 3, lastSuccess: ZERO_TIME }).isBad(now)).toBe(true) // 3 tries, no success
    expect(entry({ lastAttempt: at(120_000), attempts: 2 }).isBad(now)).toBe(false)
    expect(entry({ lastAttempt: at(120_000), attempts: 10, lastSuccess: at(8 * DAY_MS) }).isBad(now)).toBe(true)
    expect(entry({ lastAttempt: at(120_000), attempts: 9, lastSuccess: at(8 * DAY_MS) }).isBad(now)).toBe(false)
    expect(entry({ lastAttempt: at(120_000), attempts: 10, lastSuccess: at(6 * DAY_MS) }).isBad(now)).toBe(false)
    expect(entry({ lastAttempt: at(8 * DAY_MS), bucketType: BUCKET_TYPE_OLD }).isBad(now)).toBe(false) // old is never bad
  })
})

describe('old bucket overflow', () => {
  it('demotes the oldest old entry to a new bucket instead of losing it', () => {
    const clock = new ManualClock()
    const book = new AddrBook({ clock, oldBucketSize: 1 })
    const n = 40
    for (let i = 0; i < n; i++) book.addAddress(v4(i), source(i))
    for (let i = 0; i < n; i++) {
      book.markGood(v4(i).id)
      clock.advance(1000)
      // The entry just marked good is always old.
      expect(book.isGood(v4(i))).toBe(true)
    }
    const { size, nOld, nNew } = book.stats()
    expect(size).toBe(n)
    // One /16 spreads over at most OLD_BUCKETS_PER_GROUP (4) old buckets of one entry each.
    expect(nOld).toBeGreaterThanOrEqual(1)
    expect(nOld).toBeLessThanOrEqual(4)
    expect(nNew).toBe(n - nOld)
    for (const info of book.listOfKnownAddresses()) {
      expect(info.buckets).toHaveLength(1)
      // Demoted entries keep their success time.
      expect(info.lastSuccess).not.toBeNull()
    }
  })

  it('never exceeds the default old bucket size', () => {
    const book = new AddrBook({ clock: new ManualClock() })
    const n = 4 * OLD_BUCKET_SIZE + 60
    for (let i = 0; i < n; i++) book.addAddress(v4(i), source(i))
    for (let i = 0; i < n; i++) book.markGood(v4(i).id)
    expect(book.size()).toBe(n)
    expect(book.stats().nOld).toBeLessThanOrEqual(4 * OLD_BUCKET_SIZE)
    expect(book.stats().nNew).toBeGreaterThanOrEqual(60)
    for (const count of occupancy(book.listOfKnownAddresses()).values()) expect(count).toBeLessThanOrEqual(OLD_BUCKET_SIZE)
  })
})
