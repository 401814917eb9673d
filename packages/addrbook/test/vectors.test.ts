import { copyFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { NetAddress, parseNetAddress } from '@comet-p2p/types'
import { loadVector, readVectorText, vectorsDir } from '@comet-p2p/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AddrBook, groupKey } from '../src/index.js'
import { tempDir } from './helpers.js'

interface ExpectedEntry {
  id: string
  addr: string
  src: string | null
  in_book: boolean
  bucket_type: 'new' | 'old' | null
  buckets: number[] | null
  attempts: number | null
  is_good: boolean | null
  is_banned: boolean
}

interface Expected {
  key: string
  size: number
  n_new: number
  n_old: number
  empty: boolean
  need_more_addrs: boolean
  banned_before_save: string[]
  entries: ExpectedEntry[]
}

interface NetAddressCase {
  input: string
  ok: boolean
  group_key_strict: string | null
  group_key_nonstrict: string | null
}

const expected = loadVector<Expected>('addrbook/expected.json')
const RFC3339_NANO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/

let dir: string
let cleanup: () => Promise<void>
beforeEach(async () => {
  ;({ dir, cleanup } = await tempDir())
})
afterEach(async () => {
  await cleanup()
})

async function loadReferenceCopy(): Promise<AddrBook> {
  const file = join(dir, 'addrbook.json')
  await copyFile(join(vectorsDir(), 'addrbook', 'addrbook.json'), file)
  const book = new AddrBook({ filePath: file, routabilityStrict: false })
  await book.start()
  return book
}

function expectReferenceState(book: AddrBook): void {
  expect(book.key).toBe(expected.key)
  expect(book.size()).toBe(expected.size)
  expect(book.stats()).toMatchObject({ nNew: expected.n_new, nOld: expected.n_old })
  expect(book.empty()).toBe(expected.empty)
  expect(book.needMoreAddrs()).toBe(expected.need_more_addrs)
  for (const entry of expected.entries) {
    const addr = NetAddress.fromString(entry.addr)
    expect(book.hasAddress(addr), entry.addr).toBe(entry.in_book)
    expect(book.isBanned(addr), entry.addr).toBe(entry.is_banned)
    // The reference cannot answer IsGood for an absent address; we answer false.
    expect(book.isGood(addr), entry.addr).toBe(entry.is_good ?? false)
    const info = book.knownAddress(addr)
    if (!entry.in_book) {
      expect(info).toBeUndefined()
      continue
    }
    expect(info?.addr.toString()).toBe(entry.addr)
    expect(info?.src.toString()).toBe(entry.src)
    expect(info?.bucketType).toBe(entry.bucket_type)
    expect([...(info?.buckets ?? [])].sort((a, b) => a - b)).toEqual(entry.buckets)
    expect(info?.attempts).toBe(entry.attempts)
  }
}

describe('the reference addrbook.json', () => {
  it('loads with exactly the state the reference reports', async () => {
    const book = await loadReferenceCopy()
    expectReferenceState(book)
    expect(book.listOfKnownAddresses()).toHaveLength(expected.size)
    await book.stop()
  })

  it('does not know the address banned before the reference saved (its ban list is not in the file)', async () => {
    const book = await loadReferenceCopy()
    for (const banned of expected.banned_before_save) {
      const addr = NetAddress.fromString(banned)
      expect(book.hasAddress(addr)).toBe(false)
      expect(book.isBanned(addr)).toBe(false)
    }
    expect(book.stats().nBanned).toBe(0)
    await book.stop()
  })

  it('saves in the reference format, entries unchanged to the nanosecond, and reloads to the same state', async () => {
    const book = await loadReferenceCopy()
    await book.stop()
    const text = await readFile(join(dir, 'addrbook.json'), 'utf8')
    const saved = JSON.parse(text) as Record<string, unknown>
    const original = JSON.parse(readVectorText('addrbook/addrbook.json')) as { key: string; addrs: Array<{ addr: { id: string } }> }

    // Layout: tab-indented like Go's MarshalIndent, the reference fields first, our two extras after.
    expect(text.startsWith('{\n\t"key": ')).toBe(true)
    expect(text).toBe(JSON.stringify(saved, null, '\t'))
    expect(Object.keys(saved)).toEqual(['key', 'addrs', 'hash_key', 'bans'])
    expect(saved['key']).toBe(original.key)
    expect(saved['hash_key']).toMatch(/^[0-9a-f]{64}$/)
    expect(saved['bans']).toEqual([])

    // Every record is byte-for-byte the one the reference wrote (order aside).
    const byId = (list: Array<{ addr: { id: string } }>) => new Map(list.map((r) => [r.addr.id, r]))
    const savedAddrs = saved['addrs'] as Array<Record<string, unknown> & { addr: { id: string } }>
    expect(byId(savedAddrs)).toEqual(byId(original.addrs))
    for (const record of savedAddrs) {
      expect(Object.keys(record)).toEqual(['addr', 'src', 'buckets', 'attempts', 'bucket_type', 'last_attempt', 'last_success', 'last_ban_time'])
      expect(Object.keys(record['addr'] as object)).toEqual(['id', 'ip', 'port'])
      expect(Object.keys(record['src'] as object)).toEqual(['id', 'ip', 'port'])
      for (const field of ['last_attempt', 'last_success', 'last_ban_time']) expect(record[field]).toMatch(RFC3339_NANO)
      expect([1, 2]).toContain(record['bucket_type'])
    }

    const again = new AddrBook({ filePath: join(dir, 'addrbook.json'), routabilityStrict: false })
    await again.start()
    expectReferenceState(again)
    await again.stop()
  })
})

describe('groupKey against netaddress.json', () => {
  const cases = loadVector<{ cases: NetAddressCase[] }>('netaddress.json').cases.filter((c) => c.ok)

  it('covers all 49 cases that parse', () => {
    expect(cases).toHaveLength(49)
  })

  for (const c of cases) {
    it(`${c.input}: strict ${c.group_key_strict}, non-strict ${c.group_key_nonstrict}`, async () => {
      // The one host name of the file resolves to 127.0.0.1, as in the reference run.
      const addr = await parseNetAddress(c.input, { lookup: async () => ['127.0.0.1'] })
      expect(groupKey(addr, true)).toBe(c.group_key_strict)
      expect(groupKey(addr, false)).toBe(c.group_key_nonstrict)
    })
  }
})
