import { join } from 'node:path'
import fc from 'fast-check'
import { NetAddress } from '@comet-p2p/types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AddrBook,
  MAX_NEW_BUCKETS_PER_ADDRESS,
  NEW_BUCKET_COUNT,
  NEW_BUCKET_SIZE,
  OLD_BUCKET_COUNT,
  OLD_BUCKET_SIZE,
  selectionSize,
  type AddrBookAddError
} from '../src/index.js'
import { idFor, ManualClock, seededRandom, source, tempDir } from './helpers.js'

const PEERS = 60
const SOURCES = 6

/** Peer `i` at one of a few IPs: IDs repeat across IPs, groups repeat across peers, so buckets collide. */
function peer(i: number, variant: number): NetAddress {
  return NetAddress.fromParts(idFor(i), `${20 + (i % 4)}.${variant}.${(i >> 8) & 255}.${(i & 255) + 1}`, 26656)
}

type Op =
  | { t: 'add'; i: number; v: number; s: number }
  | { t: 'good' | 'attempt' | 'remove'; i: number }
  | { t: 'bad'; i: number; ms: number }
  | { t: 'reinstate' }
  | { t: 'advance'; ms: number }
  | { t: 'pick' | 'select'; bias: number }

const peerIndex = fc.integer({ min: 0, max: PEERS - 1 })
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('add' as const), i: peerIndex, v: fc.integer({ min: 0, max: 2 }), s: fc.integer({ min: 0, max: SOURCES - 1 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constantFrom('good' as const, 'attempt' as const, 'remove' as const), i: peerIndex }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('bad' as const), i: peerIndex, ms: fc.constantFrom(0, 1000, 3_600_000) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'reinstate' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('advance' as const), ms: fc.constantFrom(1, 1000, 61_000, 3_600_000, 8 * 86_400_000) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('pick' as const, 'select' as const), bias: fc.integer({ min: -10, max: 110 }) }) }
)

const config = fc.record({
  seed: fc.integer(),
  strict: fc.boolean(),
  small: fc.boolean()
})

function checkInvariants(book: AddrBook, newSize: number, oldSize: number): void {
  const infos = book.listOfKnownAddresses()
  const stats = book.stats()
  expect(stats.size).toBe(infos.length)
  expect(book.size()).toBe(infos.length)
  expect(stats.nNew).toBe(infos.filter((i) => i.bucketType === 'new').length)
  expect(stats.nOld).toBe(infos.filter((i) => i.bucketType === 'old').length)
  expect(new Set(infos.map((i) => i.addr.id)).size).toBe(infos.length)
  const occupancy = new Map<string, number>()
  for (const info of infos) {
    const limit = info.bucketType === 'new' ? NEW_BUCKET_COUNT : OLD_BUCKET_COUNT
    if (info.bucketType === 'new') {
      expect(info.buckets.length).toBeGreaterThanOrEqual(1)
      expect(info.buckets.length).toBeLessThanOrEqual(MAX_NEW_BUCKETS_PER_ADDRESS)
    } else {
      expect(info.buckets).toHaveLength(1)
    }
    expect(new Set(info.buckets).size).toBe(info.buckets.length)
    for (const b of info.buckets) {
      expect(b).toBeGreaterThanOrEqual(0)
      expect(b).toBeLessThan(limit)
      const key = `${info.bucketType}:${b}`
      occupancy.set(key, (occupancy.get(key) ?? 0) + 1)
    }
    expect(book.hasAddress(info.addr)).toBe(true)
    expect(book.isBanned(info.addr)).toBe(false)
    expect(book.isGood(info.addr)).toBe(info.bucketType === 'old')
  }
  for (const [key, count] of occupancy) expect(count).toBeLessThanOrEqual(key.startsWith('new') ? newSize : oldSize)
}

let dir: string
let cleanup: () => Promise<void>
let run = 0
beforeAll(async () => {
  ;({ dir, cleanup } = await tempDir())
})
afterAll(async () => {
  await cleanup()
})

describe('address book invariants under random operations', () => {
  it('hold after every operation, and a save reloads to the same state', async () => {
    await fc.assert(
      fc.asyncProperty(config, fc.array(op, { maxLength: 150 }), async ({ seed, strict, small }, ops) => {
        const newSize = small ? 3 : NEW_BUCKET_SIZE
        const oldSize = small ? 2 : OLD_BUCKET_SIZE
        const clock = new ManualClock()
        const file = join(dir, `book-${run++}.json`)
        const options = { filePath: file, clock, routabilityStrict: strict, newBucketSize: newSize, oldBucketSize: oldSize }
        const book = new AddrBook({ ...options, random: seededRandom(seed) })
        await book.start()
        for (const o of ops) {
          switch (o.t) {
            case 'add':
              try {
                book.addAddress(peer(o.i, o.v), source(o.s))
              } catch (err) {
                // The only refusal possible here is a ban in force.
                expect((err as AddrBookAddError).code).toBe('ERR_ADDRBOOK_BANNED')
                expect(book.isBanned(peer(o.i, o.v))).toBe(true)
              }
              break
            case 'good':
              book.markGood(idFor(o.i))
              break
            case 'attempt':
              book.markAttempt(peer(o.i, 0))
              break
            case 'remove':
              book.removeAddress(peer(o.i, 0))
              expect(book.hasAddress(peer(o.i, 0))).toBe(false)
              break
            case 'bad':
              book.markBad(peer(o.i, 0), o.ms)
              expect(book.hasAddress(peer(o.i, 0))).toBe(false)
              break
            case 'reinstate':
              book.reinstateBadPeers()
              break
            case 'advance':
              clock.advance(o.ms)
              break
            case 'pick': {
              const picked = book.pickAddress(o.bias)
              if (picked !== undefined) {
                expect(book.hasAddress(picked)).toBe(true)
                expect(book.isBanned(picked)).toBe(false)
              } else if (o.bias > 0 && o.bias < 100) {
                expect(book.empty()).toBe(true)
              }
              break
            }
            case 'select': {
              const plain = book.getSelection()
              const biased = book.getSelectionWithBias(o.bias)
              expect(plain).toHaveLength(selectionSize(book.size()))
              expect(biased).toHaveLength(selectionSize(book.size()))
              expect(new Set(biased.map(String)).size).toBe(biased.length)
              for (const addr of [...plain, ...biased]) {
                expect(book.hasAddress(addr)).toBe(true)
                expect(book.isBanned(addr)).toBe(false)
              }
              break
            }
          }
          checkInvariants(book, newSize, oldSize)
        }
        await book.stop()

        const reloaded = new AddrBook(options)
        await reloaded.start()
        expect(reloaded.key).toBe(book.key)
        // Bans that have already run out are not reloaded.
        const activeBans = book.listOfBannedAddresses().filter((b) => (b.lastBanTime?.getTime() ?? 0) > clock.ms)
        expect(reloaded.stats()).toEqual({ ...book.stats(), nBanned: activeBans.length })
        expect(reloaded.listOfKnownAddresses()).toEqual(book.listOfKnownAddresses())
        expect(reloaded.listOfBannedAddresses()).toEqual(activeBans)
        checkInvariants(reloaded, newSize, oldSize)
        await reloaded.stop()
      }),
      { numRuns: Number(process.env['ADDRBOOK_PROPERTY_RUNS'] ?? 100) }
    )
  })
})
