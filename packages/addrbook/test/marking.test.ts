import { InvalidArgumentError, NetAddress } from '@comet-p2p/types'
import { describe, expect, it } from 'vitest'
import { AddrBook } from '../src/index.js'
import { idFor, ManualClock, source, v4 } from './helpers.js'

const DAY = 24 * 60 * 60 * 1000

describe('markGood', () => {
  it('moves a new entry from all its new buckets into exactly one old bucket and resets attempts', () => {
    const clock = new ManualClock()
    const book = new AddrBook({ clock, random: () => 0 })
    const addr = v4(1)
    book.addAddress(addr, source(1))
    for (let g = 2; g < 50; g++) book.addAddress(addr, source(g))
    book.markAttempt(addr)
    book.markAttempt(addr)
    expect(book.knownAddress(addr)).toMatchObject({ attempts: 2, bucketType: 'new' })
    expect(book.knownAddress(addr)?.buckets).toHaveLength(4)
    clock.advance(5000)
    book.markGood(addr.id)
    const info = book.knownAddress(addr)
    expect(info).toMatchObject({ attempts: 0, bucketType: 'old' })
    expect(info?.buckets).toHaveLength(1)
    expect(info?.lastSuccess?.getTime()).toBe(clock.ms)
    expect(info?.lastAttempt?.getTime()).toBe(clock.ms)
    expect(book.stats()).toEqual({ size: 1, nNew: 0, nOld: 1, nBanned: 0 })
    expect(book.isGood(addr)).toBe(true)
  })

  it('refreshes an old entry in place and ignores unknown IDs', () => {
    const clock = new ManualClock()
    const book = new AddrBook({ clock })
    const addr = v4(1)
    book.addAddress(addr, source(1))
    book.markGood(addr.id)
    const bucket = book.knownAddress(addr)?.buckets[0]
    book.markAttempt(addr)
    clock.advance(1000)
    book.markGood(addr.id)
    expect(book.knownAddress(addr)).toMatchObject({ attempts: 0, buckets: [bucket] })
    book.markGood(idFor(999))
    expect(book.size()).toBe(1)
  })
})

describe('markAttempt', () => {
  it('counts attempts of new and old entries alike, and records the time', () => {
    const clock = new ManualClock()
    const book = new AddrBook({ clock })
    const a = v4(1)
    const b = v4(2)
    book.addAddress(a, source(1))
    book.addAddress(b, source(1))
    book.markGood(b.id)
    clock.advance(1000)
    book.markAttempt(a)
    book.markAttempt(b)
    book.markAttempt(b)
    expect(book.knownAddress(a)).toMatchObject({ attempts: 1, bucketType: 'new' })
    expect(book.knownAddress(b)).toMatchObject({ attempts: 2, bucketType: 'old' })
    expect(book.knownAddress(a)?.lastAttempt?.getTime()).toBe(clock.ms)
    // The entry is found by ID: another address of the same peer counts too.
    book.markAttempt(NetAddress.fromParts(a.id, '9.9.9.9', 1))
    expect(book.knownAddress(a)?.attempts).toBe(2)
    book.markAttempt(v4(3)) // unknown: nothing happens
    expect(book.size()).toBe(2)
  })
})

describe('markBad, bans and reinstateBadPeers', () => {
  it('removes the peer, bans it until the ban time passes, then reinstates it as new', () => {
    const clock = new ManualClock()
    const book = new AddrBook({ clock })
    const addr = v4(1)
    book.addAddress(addr, source(1))
    book.markAttempt(addr)
    book.markBad(addr, DAY)
    expect(book.hasAddress(addr)).toBe(false)
    expect(book.isBanned(addr)).toBe(true)
    expect(book.isGood(addr)).toBe(false)
    expect(book.stats()).toEqual({ size: 0, nNew: 0, nOld: 0, nBanned: 1 })
    expect(book.listOfBannedAddresses()[0]?.lastBanTime?.getTime()).toBe(clock.ms + DAY)

    book.reinstateBadPeers() // still banned: nothing happens
    expect(book.hasAddress(addr)).toBe(false)

    clock.advance(DAY + 1)
    expect(book.isBanned(addr)).toBe(false)
    book.reinstateBadPeers()
    expect(book.hasAddress(addr)).toBe(true)
    expect(book.knownAddress(addr)).toMatchObject({ bucketType: 'new', attempts: 1 })
    expect(book.knownAddress(addr)?.buckets).toHaveLength(1)
    expect(book.stats().nBanned).toBe(0)
  })

  it('reinstates a banned good peer as a new entry (the reference loses it)', () => {
    const clock = new ManualClock()
    const book = new AddrBook({ clock })
    const addr = v4(1)
    book.addAddress(addr, source(1))
    book.markGood(addr.id)
    book.markBad(addr, 1000)
    clock.advance(1001)
    book.reinstateBadPeers()
    expect(book.knownAddress(addr)).toMatchObject({ bucketType: 'new' })
    expect(book.isGood(addr)).toBe(false)
    expect(book.stats()).toMatchObject({ nNew: 1, nOld: 0 })
  })

  it('ignores unknown peers, and refuses a negative ban time', () => {
    const book = new AddrBook()
    book.markBad(v4(1), DAY)
    expect(book.isBanned(v4(1))).toBe(false)
    book.addAddress(v4(1), source(1))
    expect(() => book.markBad(v4(1), -1)).toThrow(InvalidArgumentError)
    expect(() => book.markBad(v4(1), Number.NaN)).toThrow(InvalidArgumentError)
    expect(book.hasAddress(v4(1))).toBe(true)
  })

  it('accepts an infinite ban (kept until year 9999)', () => {
    const clock = new ManualClock()
    const book = new AddrBook({ clock })
    book.addAddress(v4(1), source(1))
    book.markBad(v4(1), Number.POSITIVE_INFINITY)
    clock.advance(100 * 365 * DAY)
    expect(book.isBanned(v4(1))).toBe(true)
    expect(book.listOfBannedAddresses()[0]?.lastBanTime?.getUTCFullYear()).toBe(9999)
  })
})

describe('removeAddress and queries on unknown addresses', () => {
  it('removes by node ID and answers every query about unknown peers', () => {
    const book = new AddrBook()
    const addr = v4(1)
    book.addAddress(addr, source(1))
    book.removeAddress(NetAddress.fromParts(addr.id, '9.9.9.9', 1))
    expect(book.hasAddress(addr)).toBe(false)
    expect(book.size()).toBe(0)
    book.removeAddress(v4(2))
    const unknown = v4(3)
    expect(book.isGood(unknown)).toBe(false)
    expect(book.isBanned(unknown)).toBe(false)
    expect(book.hasAddress(unknown)).toBe(false)
    expect(book.knownAddress(unknown)).toBeUndefined()
    expect(book.ourAddress(unknown)).toBe(false)
  })

  it('empty() ignores our own addresses and private IDs', () => {
    const book = new AddrBook()
    book.addOurAddress(v4(1))
    book.addPrivateIDs([idFor(5), idFor(6)])
    expect(book.empty()).toBe(true)
    book.addAddress(v4(2), source(1))
    expect(book.empty()).toBe(false)
  })

  it('needMoreAddrs below the threshold only', () => {
    const book = new AddrBook({ needAddressThreshold: 3 })
    for (let i = 0; i < 3; i++) {
      expect(book.needMoreAddrs()).toBe(true)
      book.addAddress(v4(i), source(i))
    }
    expect(book.needMoreAddrs()).toBe(false)
    const big = new AddrBook()
    for (let i = 0; i < 999; i++) big.addAddress(v4(i % 200, i >> 3), source(i))
    expect(big.size()).toBe(999)
    expect(big.needMoreAddrs()).toBe(true)
    big.addAddress(v4(5000), source(1))
    expect(big.needMoreAddrs()).toBe(false)
  })
})
