/**
 * Fuzzing address book files: random JSON, mutated valid files (a field
 * replaced, bytes flipped) and truncated files. Loading must give a typed
 * error (and then never save over the file) or a valid book; a damaged file
 * must never load as a silently emptied book.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AddrBook, AddrBookFileCorruptError, AddrBookFileError } from '@comet-p2p/addrbook'
import { NetAddress, NodeKey } from '@comet-p2p/types'
import { params } from './runs.js'

const ENTRIES = 20
let dir: string
let file: string
let valid: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reliability-book-fuzz-'))
  file = join(dir, 'addrbook.json')
  const book = new AddrBook({ filePath: file })
  await book.start()
  for (let i = 0; i < ENTRIES; i++) {
    const addr = NetAddress.fromParts(NodeKey.generate().id, `${20 + i}.${i}.1.${i + 1}`, 26656)
    book.addAddress(addr, NetAddress.fromParts(NodeKey.generate().id, `${40 + i}.2.3.4`, 26656))
    if (i % 3 === 0) {
      book.markAttempt(addr)
      book.markGood(addr.id)
    }
  }
  await book.stop()
  valid = await readFile(file, 'utf8')
  expect(new AddrBook({ filePath: file }).size()).toBe(0)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Writes `text` as the book file and loads it. */
async function load(text: string | Uint8Array): Promise<{ book?: AddrBook; error?: unknown }> {
  await writeFile(file, text)
  const book = new AddrBook({ filePath: file })
  try {
    await book.start()
  } catch (error) {
    // A book that failed to load never saves over the file.
    await book.stop()
    expect(Buffer.from(await readFile(file)).equals(Buffer.from(text))).toBe(true)
    return { error }
  }
  const size = book.size()
  await book.stop()
  expect(size).toBe(book.size())
  return { book }
}

function expectTypedFileError(error: unknown): void {
  expect(error).toBeInstanceOf(AddrBookFileError)
}

describe('address book files', () => {
  it('the valid file loads whole', async () => {
    const { book, error } = await load(valid)
    expect(error).toBeUndefined()
    expect(book!.size()).toBe(ENTRIES)
  })

  it('a truncated file is a corrupt-file error, never an empty book', async () => {
    const end = valid.trimEnd().length
    await fc.assert(
      fc.asyncProperty(fc.nat(end - 1), async (length) => {
        const { error } = await load(valid.slice(0, length))
        expect(error).toBeInstanceOf(AddrBookFileCorruptError)
      }),
      params
    )
  })

  it('random JSON: a typed error or a book', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const { error } = await load(JSON.stringify(value))
        if (error !== undefined) expectTypedFileError(error)
      }),
      params
    )
  })

  it('random bytes: a typed error or a book', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        const { error } = await load(bytes)
        if (error !== undefined) expectTypedFileError(error)
      }),
      params
    )
  })

  it('one field of one entry replaced: a typed error, or the other entries load', async () => {
    const parsed = JSON.parse(valid) as { addrs: Record<string, unknown>[] }
    const fields = Object.keys(parsed.addrs[0]!)
    await fc.assert(
      fc.asyncProperty(fc.nat(ENTRIES - 1), fc.constantFrom(...fields), fc.jsonValue(), async (index, field, value) => {
        const copy = JSON.parse(valid) as { addrs: Record<string, unknown>[] }
        copy.addrs[index]![field] = value
        const { book, error } = await load(JSON.stringify(copy, null, '\t'))
        if (error !== undefined) expectTypedFileError(error)
        else expect(book!.size()).toBeGreaterThanOrEqual(ENTRIES - 1)
      }),
      params
    )
  })

  it('one top-level field replaced or removed: a typed error, or a book that keeps its entries unless the list itself was replaced', async () => {
    const topFields = Object.keys(JSON.parse(valid) as object)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...topFields), fc.option(fc.jsonValue(), { nil: undefined }), async (field, value) => {
        const copy = JSON.parse(valid) as Record<string, unknown>
        if (value === undefined) delete copy[field]
        else copy[field] = value
        const { book, error } = await load(JSON.stringify(copy, null, '\t'))
        if (error !== undefined) expectTypedFileError(error)
        else if (field !== 'addrs') expect(book!.size()).toBe(ENTRIES)
        // A list replaced by null or [] is an empty book as the reference writes it; a removed list is damage.
        if (field === 'addrs' && value === undefined) expect(error).toBeInstanceOf(AddrBookFileCorruptError)
      }),
      params
    )
  })

  it('the "addrs" key damaged: a corrupt-file error, not an empty book', async () => {
    const at = valid.indexOf('"addrs"')
    for (let i = at + 1; i < at + 6; i++) {
      const { error } = await load(valid.slice(0, i) + 'z' + valid.slice(i + 1))
      expect(error).toBeInstanceOf(AddrBookFileCorruptError)
    }
  })

  it('one byte changed anywhere: a typed error, or at most one entry lost', async () => {
    const bytes = Buffer.from(valid)
    await fc.assert(
      fc.asyncProperty(fc.nat(bytes.length - 1), fc.integer({ min: 0x20, max: 0x7e }), async (index, value) => {
        const copy = Buffer.from(bytes)
        if (copy[index] === value) return
        copy[index] = value
        const { book, error } = await load(copy)
        if (error !== undefined) expectTypedFileError(error)
        else expect(book!.size()).toBeGreaterThanOrEqual(ENTRIES - 1)
      }),
      params
    )
  })
})
