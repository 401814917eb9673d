import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { activeResources, waitForNoLeaks } from '@comet-p2p/testing'
import type { Logger } from '@comet-p2p/types'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  AddrBook,
  AddrBookBannedError,
  AddrBookFileCorruptError,
  AddrBookFileReadError,
  AddrBookStateError,
  DUMP_ADDRESS_INTERVAL_MS
} from '../src/index.js'
import { ManualClock, source, tempDir, v4 } from './helpers.js'

let dir: string
let file: string
let cleanup: () => Promise<void>
beforeEach(async () => {
  ;({ dir, cleanup } = await tempDir())
  file = join(dir, 'addrbook.json')
})
afterEach(async () => {
  vi.useRealTimers()
  await cleanup()
})

function recordingLogger(): Logger & { warnings: Array<Record<string, unknown>> } {
  const warnings: Array<Record<string, unknown>> = []
  const logger = {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (message: string, fields?: Record<string, unknown>) => warnings.push({ message, ...fields }),
    error: () => undefined,
    child: () => logger
  }
  return logger
}

function entryJson(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const addr = v4(n)
  return {
    addr: addr.toProto(),
    src: source(1).toProto(),
    buckets: [n % 256],
    attempts: 0,
    bucket_type: 1,
    last_attempt: '2026-01-01T00:00:00.123456789Z',
    last_success: '0001-01-01T00:00:00Z',
    last_ban_time: '0001-01-01T00:00:00Z',
    ...overrides
  }
}

describe('lifecycle', () => {
  it('an in-memory book starts, saves and stops without touching the disk', async () => {
    const book = new AddrBook()
    await book.start()
    book.addAddress(v4(1), source(1))
    await book.save()
    await book.stop()
    expect(book.filePath).toBeUndefined()
  })

  it('a missing file is an empty book; stop() writes a new file with a fresh key', async () => {
    const book = new AddrBook({ filePath: file })
    await book.start()
    expect(book.empty()).toBe(true)
    expect(book.key).toMatch(/^[0-9a-f]{24}$/)
    await book.stop()
    const json = JSON.parse(await readFile(file, 'utf8'))
    expect(json).toMatchObject({ key: book.key, addrs: [], bans: [] })
    expect(json.hash_key).toMatch(/^[0-9a-f]{64}$/)
  })

  it('creates a missing directory on save', async () => {
    const nested = join(dir, 'a', 'b', 'addrbook.json')
    const book = new AddrBook({ filePath: nested })
    await book.start()
    await book.stop()
    expect(existsSync(nested)).toBe(true)
  })

  it('refuses to start twice, after stop, or over addresses added before loading', async () => {
    const book = new AddrBook({ filePath: file })
    await book.start()
    await expect(book.start()).rejects.toBeInstanceOf(AddrBookStateError)
    await book.stop()
    await book.stop()
    await expect(book.start()).rejects.toBeInstanceOf(AddrBookStateError)
    const early = new AddrBook({ filePath: file })
    early.addAddress(v4(1), source(1))
    const err = await early.start().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AddrBookStateError)
    expect((err as AddrBookStateError).code).toBe('ERR_ADDRBOOK_STATE')
  })

  it('will not save a file-backed book that was never loaded', async () => {
    await writeFile(file, '{"key":"00f83720f0dd717cfe90c673","addrs":[]}')
    const book = new AddrBook({ filePath: file })
    await expect(book.save()).rejects.toBeInstanceOf(AddrBookStateError)
    await book.stop()
    expect(await readFile(file, 'utf8')).toBe('{"key":"00f83720f0dd717cfe90c673","addrs":[]}')
  })

  it('saves periodically and clears its timer on stop', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const before = activeResources()
    const book = new AddrBook({ filePath: file })
    await book.start()
    book.addAddress(v4(1), source(1))
    expect(existsSync(file)).toBe(false)
    await vi.advanceTimersByTimeAsync(DUMP_ADDRESS_INTERVAL_MS)
    await vi.waitFor(() => expect(existsSync(file)).toBe(true), { timeout: 5000, interval: 5 })
    await vi.waitFor(async () => expect(JSON.parse(await readFile(file, 'utf8')).addrs).toHaveLength(1), { timeout: 5000, interval: 5 })
    book.addAddress(v4(2), source(1))
    await book.stop()
    expect(JSON.parse(await readFile(file, 'utf8')).addrs).toHaveLength(2)
    expect(vi.getTimerCount()).toBe(0)
    vi.useRealTimers()
    expect(await waitForNoLeaks(before)).toEqual({})
  })

  it('uses the configured save interval', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const book = new AddrBook({ filePath: file, saveIntervalMs: 1000 })
    await book.start()
    await vi.advanceTimersByTimeAsync(999)
    expect(existsSync(file)).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    await vi.waitFor(() => expect(existsSync(file)).toBe(true), { timeout: 5000, interval: 5 })
    await book.stop()
  })
})

describe('round trip', () => {
  it('keeps entries, counts, times, the key and bucket placement across a restart', async () => {
    const clock = new ManualClock()
    const book = new AddrBook({ filePath: file, clock })
    await book.start()
    for (let i = 0; i < 50; i++) book.addAddress(v4(i, i % 7), source(i % 5))
    for (let i = 0; i < 10; i++) book.markGood(v4(i, i % 7).id)
    clock.advance(1234)
    book.markAttempt(v4(20, 20 % 7))
    await book.stop()

    const again = new AddrBook({ filePath: file, clock })
    await again.start()
    expect(again.key).toBe(book.key)
    expect(again.stats()).toEqual(book.stats())
    expect(again.listOfKnownAddresses()).toEqual(book.listOfKnownAddresses())

    // The placement hash key is in the file: a new address lands where it would have before the restart.
    const fresh = v4(999, 3)
    book.addAddress(fresh, source(2))
    again.addAddress(fresh, source(2))
    expect(again.knownAddress(fresh)?.buckets).toEqual(book.knownAddress(fresh)?.buckets)
    await again.stop()
  })

  it('keeps bans across a restart, and forgets those that expired meanwhile', async () => {
    const clock = new ManualClock()
    const book = new AddrBook({ filePath: file, clock })
    await book.start()
    book.addAddress(v4(1), source(1))
    book.addAddress(v4(2), source(1))
    book.markBad(v4(1), 60 * 60_000)
    book.markBad(v4(2), 60_000)
    await book.stop()

    const again = new AddrBook({ filePath: file, clock })
    await again.start()
    expect(again.isBanned(v4(1))).toBe(true)
    expect(again.isBanned(v4(2))).toBe(true)
    expect(() => again.addAddress(v4(1), source(1))).toThrow(AddrBookBannedError)
    clock.advance(2 * 60_000)
    await again.stop()

    const third = new AddrBook({ filePath: file, clock })
    await third.start()
    expect(third.isBanned(v4(1))).toBe(true)
    expect(third.isBanned(v4(2))).toBe(false)
    expect(third.stats().nBanned).toBe(1)
    clock.advance(60 * 60_000)
    third.reinstateBadPeers()
    expect(third.hasAddress(v4(1))).toBe(true)
    await third.stop()
  })
})

describe('corrupt and unreadable files', () => {
  it.each([
    ['truncated', '{\n\t"key": "00f83720f0dd717cfe90c673",\n\t"addrs": [\n\t\t{'],
    ['empty', ''],
    ['not an object', '[1, 2]'],
    ['addrs not an array', '{"key": "00f83720f0dd717cfe90c673", "addrs": 5}'],
    ['no addrs field (e.g. a mangled key)', '{"key": "00f83720f0dd717cfe90c673", "addrz": []}'],
    ['empty object', '{}'],
    ['key not a string', '{"key": 5, "addrs": []}']
  ])('a %s file is a typed error naming the file, and is never overwritten', async (_name, content) => {
    await writeFile(file, content)
    const book = new AddrBook({ filePath: file })
    const err = await book.start().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AddrBookFileCorruptError)
    expect((err as AddrBookFileCorruptError).code).toBe('ERR_ADDRBOOK_FILE_CORRUPT')
    expect((err as AddrBookFileCorruptError).file).toBe(file)
    expect((err as Error).message).toContain(file)
    await expect(book.save()).rejects.toBeInstanceOf(AddrBookStateError)
    await book.stop()
    expect(await readFile(file, 'utf8')).toBe(content)
  })

  it('an unreadable path is a read error', async () => {
    await mkdir(file)
    const err = await new AddrBook({ filePath: file }).start().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AddrBookFileReadError)
    expect((err as AddrBookFileReadError).code).toBe('ERR_ADDRBOOK_FILE_READ')
  })

  it('a failed start can be retried once the file is fixed', async () => {
    await writeFile(file, '{')
    const book = new AddrBook({ filePath: file })
    await expect(book.start()).rejects.toBeInstanceOf(AddrBookFileCorruptError)
    await writeFile(file, JSON.stringify({ key: 'abcdefabcdefabcdefabcdef', addrs: [entryJson(1)] }))
    await book.start()
    expect(book.size()).toBe(1)
    await book.stop()
  })

  it('skips invalid entries with a warning each and keeps the valid ones', async () => {
    const logger = recordingLogger()
    const addrs = [
      entryJson(1),
      entryJson(2, { addr: { id: v4(2).id, ip: 'not-an-ip', port: 1 } }),
      entryJson(3, { addr: { id: v4(3).id, ip: '0.0.0.0', port: 1 } }),
      entryJson(4, { buckets: [256] }),
      entryJson(5, { bucket_type: 2, buckets: [1, 2] }),
      entryJson(6, { bucket_type: 3 }),
      entryJson(7, { attempts: -1 }),
      entryJson(8, { last_attempt: 'yesterday' }),
      entryJson(9, { buckets: [] }),
      entryJson(10, { buckets: [1, 2, 3, 4, 5] }),
      entryJson(1, { buckets: [77] }), // second entry for node 1
      entryJson(11, { src: null }),
      'garbage',
      entryJson(12, { bucket_type: 2, buckets: [63], attempts: 4 })
    ]
    await writeFile(file, JSON.stringify({ key: 'abcdefabcdefabcdefabcdef', addrs, hash_key: 'zz', bans: 'nope' }, null, '\t'))
    const book = new AddrBook({ filePath: file, logger })
    await book.start()
    expect(book.size()).toBe(2)
    expect(book.knownAddress(v4(1))).toMatchObject({ buckets: [1], bucketType: 'new' })
    expect(book.knownAddress(v4(12))).toMatchObject({ buckets: [63], bucketType: 'old', attempts: 4 })
    expect(logger.warnings.filter((w) => w['message'] === 'address book: skipping an invalid entry')).toHaveLength(11)
    expect(logger.warnings.some((w) => String(w['message']).includes('same node ID'))).toBe(true)
    expect(logger.warnings.some((w) => String(w['message']).includes('hash_key'))).toBe(true)
    expect(logger.warnings.some((w) => String(w['message']).includes('"bans"'))).toBe(true)
    for (const w of logger.warnings) expect(w['file']).toBe(file)
    await book.stop()
  })

  it('treats missing optional fields as Go zero values', async () => {
    const minimal = { addr: v4(1).toProto(), src: source(1).toProto(), buckets: [3], bucket_type: 1 }
    await writeFile(file, JSON.stringify({ key: 'abcdefabcdefabcdefabcdef', addrs: [minimal] }))
    const book = new AddrBook({ filePath: file })
    await book.start()
    expect(book.knownAddress(v4(1))).toMatchObject({ attempts: 0, lastAttempt: null, lastSuccess: null, lastBanTime: null })
    await book.stop()
    const saved = JSON.parse(await readFile(file, 'utf8'))
    expect(saved.addrs[0].last_attempt).toBe('0001-01-01T00:00:00Z')
  })
})

describe('temporary files', () => {
  it('removes temporary files left by an interrupted save, on load and on save', async () => {
    await writeFile(join(dir, 'addrbook.json.tmp-123-abc'), '{"partial')
    await writeFile(join(dir, 'other.json.tmp-1-x'), 'not ours')
    const book = new AddrBook({ filePath: file })
    await book.start()
    expect((await readdir(dir)).sort()).toEqual(['other.json.tmp-1-x'])
    await writeFile(join(dir, 'addrbook.json.tmp-456-def'), '{"partial')
    await book.save()
    expect((await readdir(dir)).sort()).toEqual(['addrbook.json', 'other.json.tmp-1-x'])
    await book.stop()
  })

  it('serialises concurrent saves and leaves no temporary file', async () => {
    const book = new AddrBook({ filePath: file })
    await book.start()
    const saves: Array<Promise<void>> = []
    for (let i = 0; i < 20; i++) {
      book.addAddress(v4(i), source(i))
      saves.push(book.save())
    }
    await Promise.all(saves)
    expect(JSON.parse(await readFile(file, 'utf8')).addrs).toHaveLength(20)
    expect(await readdir(dir)).toEqual(['addrbook.json'])
    await book.stop()
  })
})

describe('reference files with an overfull bucket', () => {
  it('load every entry, and the bucket shrinks to its size on the next add there', async () => {
    // The reference lets a bucket reach 65 entries. Build such a file, with a
    // known placement key so that we can aim a new address at that bucket.
    const key = 'abcdefabcdefabcdefabcdef'
    const hashKey = new Uint8Array(32).fill(7)
    const { BucketHasher } = await import('../src/bucket-hash.js')
    const hasher = new BucketHasher(key, hashKey, true)
    const fresh = v4(5000, 9)
    const bucket = hasher.newBucket(fresh, source(3))
    const addrs = Array.from({ length: 65 }, (_, i) => entryJson(i, { buckets: [bucket] }))
    await writeFile(file, JSON.stringify({ key, addrs, hash_key: Buffer.from(hashKey).toString('hex') }, null, '\t'))
    const book = new AddrBook({ filePath: file, clock: new ManualClock(Date.UTC(2026, 0, 1, 1)) })
    await book.start()
    expect(book.size()).toBe(65)
    book.addAddress(fresh, source(3))
    expect(book.knownAddress(fresh)?.buckets).toEqual([bucket])
    expect(book.size()).toBe(64)
    await book.stop()
  })
})
