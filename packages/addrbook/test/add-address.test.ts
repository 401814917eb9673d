import { NetAddress, NetAddressInvalidError } from '@comet-p2p/types'
import { describe, expect, it } from 'vitest'
import {
  AddrBook,
  AddrBookAddError,
  AddrBookBannedError,
  AddrBookInvalidAddrError,
  AddrBookNilAddrError,
  AddrBookNonRoutableError,
  AddrBookPrivateError,
  AddrBookPrivateSrcError,
  AddrBookSelfError,
  MAX_NEW_BUCKETS_PER_ADDRESS
} from '../src/index.js'
import { idFor, ManualClock, source, v4 } from './helpers.js'

const ID = idFor(1)
const SRC = source(1)

function refusal(fn: () => void): AddrBookAddError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AddrBookAddError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

describe('addAddress refusals', () => {
  it('refuses a missing address or source', () => {
    const book = new AddrBook()
    const e1 = refusal(() => book.addAddress(undefined, SRC))
    expect(e1).toBeInstanceOf(AddrBookNilAddrError)
    expect(e1.code).toBe('ERR_ADDRBOOK_NIL_ADDR')
    expect(e1.src).toBe(SRC)
    expect(refusal(() => book.addAddress(v4(1), null))).toBeInstanceOf(AddrBookNilAddrError)
    expect(refusal(() => book.addAddress({} as NetAddress, SRC))).toBeInstanceOf(AddrBookNilAddrError)
  })

  it.each(['0.0.0.0', '255.255.255.255', '[2001:db8::5]', '[::]'])('refuses the invalid IP %s', (host) => {
    const book = new AddrBook({ routabilityStrict: false })
    const err = refusal(() => book.addAddress(NetAddress.fromString(`${ID}@${host}:26656`), SRC))
    expect(err).toBeInstanceOf(AddrBookInvalidAddrError)
    expect(err.code).toBe('ERR_ADDRBOOK_INVALID_ADDR')
    expect(err.cause).toBeInstanceOf(NetAddressInvalidError)
  })

  it('refuses an invalid node ID', () => {
    const book = new AddrBook()
    const err = refusal(() => book.addAddress(NetAddress.fromParts('abcd', '8.8.8.8', 1), SRC))
    expect(err).toBeInstanceOf(AddrBookInvalidAddrError)
  })

  it('refuses a banned node ID until the ban ends', () => {
    const clock = new ManualClock()
    const book = new AddrBook({ clock })
    const addr = v4(1)
    book.addAddress(addr, SRC)
    book.markBad(addr, 60_000)
    const err = refusal(() => book.addAddress(addr, SRC))
    expect(err).toBeInstanceOf(AddrBookBannedError)
    expect(err.code).toBe('ERR_ADDRBOOK_BANNED')
    // Same ID at another address is the same peer.
    expect(refusal(() => book.addAddress(NetAddress.fromParts(addr.id, '9.9.9.9', 1), SRC))).toBeInstanceOf(AddrBookBannedError)
    clock.advance(60_001)
    book.addAddress(addr, SRC)
    expect(book.hasAddress(addr)).toBe(true)
    expect(book.stats().nBanned).toBe(0)
  })

  it('refuses private IDs as address and as source', () => {
    const book = new AddrBook()
    const priv = v4(1)
    book.addPrivateIDs([priv.id])
    const e1 = refusal(() => book.addAddress(priv, SRC))
    expect(e1).toBeInstanceOf(AddrBookPrivateError)
    expect(e1.code).toBe('ERR_ADDRBOOK_PRIVATE')
    const e2 = refusal(() => book.addAddress(v4(2), priv))
    expect(e2).toBeInstanceOf(AddrBookPrivateSrcError)
    expect(e2.code).toBe('ERR_ADDRBOOK_PRIVATE_SRC')
    expect(book.empty()).toBe(true)
  })

  it('refuses our own addresses, and our node ID behind any other address', () => {
    const book = new AddrBook()
    const ours = v4(1)
    book.addOurAddress(ours)
    expect(book.ourAddress(ours)).toBe(true)
    const err = refusal(() => book.addAddress(ours, SRC))
    expect(err).toBeInstanceOf(AddrBookSelfError)
    expect(err.code).toBe('ERR_ADDRBOOK_SELF')
    expect(book.empty()).toBe(true)
    // The reference accepts our ID at another port or IP; that is junk a
    // peer could fill the book with, so it is refused too.
    expect(refusal(() => book.addAddress(NetAddress.fromParts(ours.id, ours.ip, 1), SRC))).toBeInstanceOf(AddrBookSelfError)
    expect(refusal(() => book.addAddress(NetAddress.fromParts(ours.id, '8.8.8.8', 26656), SRC))).toBeInstanceOf(AddrBookSelfError)
    expect(book.empty()).toBe(true)
  })

  it('drops an entry with our node ID when the address becomes ours', () => {
    const book = new AddrBook()
    const ours = v4(1)
    book.addAddress(NetAddress.fromParts(ours.id, '8.8.8.8', 26656), SRC)
    expect(book.size()).toBe(1)
    book.addOurAddress(ours)
    expect(book.empty()).toBe(true)
  })

  it('refuses unroutable addresses in strict mode only', () => {
    const strict = new AddrBook()
    for (const host of ['10.0.0.1', '192.168.1.1', '127.0.0.1', '169.254.1.1', '[fc00::1]', '[fe80::1]']) {
      const err = refusal(() => strict.addAddress(NetAddress.fromString(`${ID}@${host}:26656`), SRC))
      expect(err).toBeInstanceOf(AddrBookNonRoutableError)
      expect(err.code).toBe('ERR_ADDRBOOK_NON_ROUTABLE')
    }
    const lax = new AddrBook({ routabilityStrict: false })
    lax.addAddress(NetAddress.fromString(`${ID}@10.0.0.1:26656`), SRC)
    expect(lax.size()).toBe(1)
  })

  it('checks in the reference order (invalid before banned before private before self before routability)', () => {
    const book = new AddrBook()
    const addr = NetAddress.fromString(`${ID}@10.0.0.1:26656`)
    book.addPrivateIDs([ID])
    book.addOurAddress(addr)
    expect(refusal(() => book.addAddress(addr, SRC))).toBeInstanceOf(AddrBookPrivateError)
    expect(refusal(() => book.addAddress(NetAddress.fromString(`${ID}@0.0.0.0:1`), SRC))).toBeInstanceOf(AddrBookInvalidAddrError)
  })

  it('refuses port 0, which can never be dialed', () => {
    const book = new AddrBook({ routabilityStrict: false })
    const err = refusal(() => book.addAddress(NetAddress.fromString(`${ID}@8.8.8.8:0`), SRC))
    expect(err).toBeInstanceOf(AddrBookInvalidAddrError)
    expect(book.empty()).toBe(true)
  })

  it('accepts a source that is not itself valid (the switch passes its 0.0.0.0 listen address)', () => {
    const book = new AddrBook()
    book.addAddress(v4(1), NetAddress.fromString(`${idFor(9)}@0.0.0.0:26656`))
    expect(book.size()).toBe(1)
  })
})

describe('addAddress placement', () => {
  it('puts an unknown ID in one new bucket with zero attempts and the time of the add', () => {
    const clock = new ManualClock()
    const book = new AddrBook({ clock })
    const addr = v4(1)
    book.addAddress(addr, SRC)
    const info = book.knownAddress(addr)
    expect(info).toMatchObject({ bucketType: 'new', attempts: 0, lastSuccess: null, lastBanTime: null })
    expect(info?.buckets).toHaveLength(1)
    expect(info?.src).toBe(SRC)
    expect(info?.lastAttempt?.getTime()).toBe(clock.ms)
    expect(book.stats()).toEqual({ size: 1, nNew: 1, nOld: 0, nBanned: 0 })
  })

  it('ignores a duplicate', () => {
    const book = new AddrBook({ random: () => 0 })
    book.addAddress(v4(1), SRC)
    book.addAddress(v4(1), SRC)
    expect(book.knownAddress(v4(1))?.buckets).toHaveLength(1)
    expect(book.size()).toBe(1)
  })

  it('gives a known ID at most MAX_NEW_BUCKETS_PER_ADDRESS buckets, keeping its first address', () => {
    const book = new AddrBook({ random: () => 0 })
    const first = v4(1)
    book.addAddress(first, SRC)
    for (let g = 2; g < 200; g++) book.addAddress(NetAddress.fromParts(first.id, `77.${g}.0.1`, 1), source(g))
    const info = book.knownAddress(first.id)
    expect(info?.buckets).toHaveLength(MAX_NEW_BUCKETS_PER_ADDRESS)
    expect(info?.addr).toBe(first)
    expect(book.stats()).toMatchObject({ size: 1, nNew: 1 })
  })

  it('adds another bucket with probability 1/(2·buckets)', () => {
    let r = 0
    const book = new AddrBook({ random: () => r })
    const addr = v4(1)
    book.addAddress(addr, SRC)
    const bucketsAfter = (value: number, group: number): number => {
      r = value
      book.addAddress(addr, source(group))
      return book.knownAddress(addr)?.buckets.length ?? 0
    }
    // One bucket: accepted when floor(r·2) = 0, i.e. r < 1/2.
    expect(bucketsAfter(0.5, 2)).toBe(1)
    expect(bucketsAfter(0.49, 3)).toBe(2)
    // Two buckets: r < 1/4.
    expect(bucketsAfter(0.25, 4)).toBe(2)
    expect(bucketsAfter(0.24, 5)).toBe(3)
    // Three buckets: r < 1/6.
    expect(bucketsAfter(0.17, 6)).toBe(3)
    expect(bucketsAfter(0.16, 7)).toBe(4)
  })

  it('never changes or multiplies an old entry', () => {
    const book = new AddrBook({ random: () => 0 })
    const real = v4(1)
    book.addAddress(real, SRC)
    book.markGood(real.id)
    for (let g = 2; g < 20; g++) book.addAddress(NetAddress.fromParts(real.id, '2.2.2.2', 26656), source(g))
    const info = book.knownAddress(real.id)
    expect(info).toMatchObject({ bucketType: 'old', addr: real })
    expect(info?.buckets).toHaveLength(1)
    for (let i = 0; i < 10; i++) for (const a of book.getSelection()) expect(a.ip).toBe(real.ip)
  })

  it('places addresses from one source group in at most NEW_BUCKETS_PER_GROUP buckets', () => {
    const book = new AddrBook()
    for (let g = 0; g < 400; g++) book.addAddress(v4(1, g), SRC)
    const buckets = new Set(book.listOfKnownAddresses().flatMap((i) => i.buckets))
    expect(buckets.size).toBeLessThanOrEqual(32)
    expect(buckets.size).toBeGreaterThan(16)
  })
})
