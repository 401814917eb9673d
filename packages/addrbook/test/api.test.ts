import { CometError } from '@comet-p2p/types'
import { describe, expect, expectTypeOf, it } from 'vitest'
import * as api from '../src/index.js'
import { AddrBook, type AddrBookLike } from '../src/index.js'

describe('public API', () => {
  it('AddrBook implements AddrBookLike', () => {
    expectTypeOf<AddrBook>().toMatchTypeOf<AddrBookLike>()
    const like: AddrBookLike = new AddrBook()
    expect(like.size()).toBe(0)
  })

  it('exports the reference constants', () => {
    expect({
      NEW_BUCKET_COUNT: api.NEW_BUCKET_COUNT,
      NEW_BUCKET_SIZE: api.NEW_BUCKET_SIZE,
      OLD_BUCKET_COUNT: api.OLD_BUCKET_COUNT,
      OLD_BUCKET_SIZE: api.OLD_BUCKET_SIZE,
      NEW_BUCKETS_PER_GROUP: api.NEW_BUCKETS_PER_GROUP,
      OLD_BUCKETS_PER_GROUP: api.OLD_BUCKETS_PER_GROUP,
      MAX_NEW_BUCKETS_PER_ADDRESS: api.MAX_NEW_BUCKETS_PER_ADDRESS,
      NEED_ADDRESS_THRESHOLD: api.NEED_ADDRESS_THRESHOLD,
      DUMP_ADDRESS_INTERVAL_MS: api.DUMP_ADDRESS_INTERVAL_MS,
      NUM_MISSING_DAYS: api.NUM_MISSING_DAYS,
      NUM_RETRIES: api.NUM_RETRIES,
      MAX_FAILURES: api.MAX_FAILURES,
      MIN_BAD_DAYS: api.MIN_BAD_DAYS,
      GET_SELECTION_PERCENT: api.GET_SELECTION_PERCENT,
      MIN_GET_SELECTION: api.MIN_GET_SELECTION,
      MAX_GET_SELECTION: api.MAX_GET_SELECTION
    }).toEqual({
      NEW_BUCKET_COUNT: 256,
      NEW_BUCKET_SIZE: 64,
      OLD_BUCKET_COUNT: 64,
      OLD_BUCKET_SIZE: 64,
      NEW_BUCKETS_PER_GROUP: 32,
      OLD_BUCKETS_PER_GROUP: 4,
      MAX_NEW_BUCKETS_PER_ADDRESS: 4,
      NEED_ADDRESS_THRESHOLD: 1000,
      DUMP_ADDRESS_INTERVAL_MS: 120_000,
      NUM_MISSING_DAYS: 7,
      NUM_RETRIES: 3,
      MAX_FAILURES: 10,
      MIN_BAD_DAYS: 7,
      GET_SELECTION_PERCENT: 23,
      MIN_GET_SELECTION: 32,
      MAX_GET_SELECTION: 250
    })
  })

  it('every error class is a CometError with a static and instance code and its own name', () => {
    type ErrorClass = { code: string; prototype: Error }
    const classes = Object.entries(api as Record<string, unknown>)
      .filter(([name, value]) => typeof value === 'function' && name.endsWith('Error') && 'code' in value)
      .map(([name, value]) => [name, value as ErrorClass] as const)
    expect(classes.map(([name]) => name).sort()).toEqual(
      [
        'AddrBookBannedError',
        'AddrBookFileCorruptError',
        'AddrBookFileReadError',
        'AddrBookFileWriteError',
        'AddrBookInvalidAddrError',
        'AddrBookNilAddrError',
        'AddrBookNonRoutableError',
        'AddrBookPrivateError',
        'AddrBookPrivateSrcError',
        'AddrBookSelfError',
        'AddrBookStateError'
      ].sort()
    )
    const codes = new Set<string>()
    for (const [name, Class] of classes) {
      expect(Class.code).toMatch(/^ERR_ADDRBOOK_[A-Z_]+$/)
      codes.add(Class.code)
      expect(Class.prototype).toBeInstanceOf(CometError)
      expect(name).toMatch(/Error$/)
    }
    expect(codes.size).toBe(classes.length)
    const err = new api.AddrBookStateError('x')
    expect(err.name).toBe('AddrBookStateError')
    expect(err.code).toBe(api.AddrBookStateError.code)
    const corrupt = new api.AddrBookFileCorruptError('/f', 'bad')
    expect(corrupt).toBeInstanceOf(api.AddrBookFileError)
    expect(corrupt.name).toBe('AddrBookFileCorruptError')
  })

  it('refuses unusable options', () => {
    expect(() => new AddrBook({ filePath: '' })).toThrow(/filePath/)
    expect(() => new AddrBook({ saveIntervalMs: 0 })).toThrow(/saveIntervalMs/)
    expect(() => new AddrBook({ newBucketSize: 1.5 })).toThrow(/newBucketSize/)
    expect(() => new AddrBook({ oldBucketSize: -1 })).toThrow(/oldBucketSize/)
    expect(() => new AddrBook({ needAddressThreshold: -1 })).toThrow(/needAddressThreshold/)
  })
})
