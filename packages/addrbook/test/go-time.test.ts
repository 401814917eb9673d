import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareTime, formatGoTime, isZeroTime, parseGoTime, timeFromMs, ZERO_TIME } from '../src/go-time.js'

describe('Go time formatting', () => {
  it('writes RFC 3339 with trimmed nanoseconds, like time.RFC3339Nano', () => {
    expect(formatGoTime(ZERO_TIME)).toBe('0001-01-01T00:00:00Z')
    expect(formatGoTime(timeFromMs(Date.UTC(2026, 10, 25, 15, 39, 6, 919), 419_948))).toBe('2026-11-25T15:39:06.919419948Z')
    expect(formatGoTime(timeFromMs(Date.UTC(2026, 0, 2, 3, 4, 5, 100)))).toBe('2026-01-02T03:04:05.1Z')
    expect(formatGoTime(timeFromMs(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('2026-01-02T03:04:05Z')
    expect(formatGoTime(timeFromMs(0, 1))).toBe('1970-01-01T00:00:00.000000001Z')
  })

  it('reads what Go writes, including offsets and long fractions', () => {
    expect(parseGoTime('0001-01-01T00:00:00Z')).toEqual(ZERO_TIME)
    expect(isZeroTime(parseGoTime('0001-01-01T00:00:00Z')!)).toBe(true)
    expect(parseGoTime('2026-11-25T15:39:06.919419948Z')).toEqual({ ms: Date.UTC(2026, 10, 25, 15, 39, 6, 919), ns: 419_948 })
    expect(parseGoTime('2026-11-25T16:39:06.5+01:00')).toEqual({ ms: Date.UTC(2026, 10, 25, 15, 39, 6, 500), ns: 0 })
    expect(parseGoTime('2026-11-25T10:09:06-05:30')).toEqual({ ms: Date.UTC(2026, 10, 25, 15, 39, 6), ns: 0 })
    expect(parseGoTime('2026-11-25T15:39:06.1234567899Z')).toEqual({ ms: Date.UTC(2026, 10, 25, 15, 39, 6, 123), ns: 456_789 })
    expect(parseGoTime('2024-02-29T00:00:00Z')).toBeDefined()
  })

  it.each([
    '',
    '2026-11-25',
    '2026-11-25T15:39:06',
    '2026-11-25 15:39:06Z',
    '2026-13-01T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:60:00Z',
    '2026-01-01T00:00:60Z',
    '2026-01-01T00:00:00.Z',
    '2026-01-01T00:00:00+24:00',
    '26-01-01T00:00:00Z'
  ])('refuses %j', (text) => {
    expect(parseGoTime(text)).toBeUndefined()
  })

  it('round-trips every instant of years 1 to 9999 to the nanosecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), fc.integer({ min: 0, max: 999_999 }), (ms, ns) => {
        const t = timeFromMs(ms, ns)
        const back = parseGoTime(formatGoTime(t))
        expect(back).toEqual(t)
        expect(compareTime(back!, t)).toBe(0)
      }),
      { numRuns: 500 }
    )
  })

  it('orders by milliseconds, then nanoseconds', () => {
    expect(compareTime(timeFromMs(5, 1), timeFromMs(5, 2))).toBeLessThan(0)
    expect(compareTime(timeFromMs(6), timeFromMs(5, 999_999))).toBeGreaterThan(0)
    expect(timeFromMs(1.5)).toEqual({ ms: 1, ns: 500_000 })
    expect(timeFromMs(1e20)).toEqual({ ms: 253_402_300_799_999, ns: 999_999 })
  })
})
