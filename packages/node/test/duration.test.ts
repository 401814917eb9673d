import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatGoDuration, formatGoDurationNs, parseGoDuration, parseGoDurationNs } from '../src/index.js'

const S = 1_000_000_000n
const MIN = 60n * S
const H = 60n * MIN
const MAX = (1n << 63n) - 1n
const MIN_DURATION = -(1n << 63n)

describe('parseGoDurationNs (Go time.ParseDuration)', () => {
  const valid: [string, bigint][] = [
    ['0', 0n],
    ['-0', 0n],
    ['+0', 0n],
    ['0s', 0n],
    ['5s', 5n * S],
    ['+5s', 5n * S],
    ['-5s', -5n * S],
    ['5.0s', 5n * S],
    ['5.6s', 5n * S + 600_000_000n],
    ['5.s', 5n * S],
    ['.5s', 500_000_000n],
    ['1.5s', 1_500_000_000n],
    ['1.004s', S + 4_000_000n],
    ['100.00100s', 100n * S + 1_000_000n],
    ['10ns', 10n],
    ['11us', 11_000n],
    ['12\u00b5s', 12_000n],
    ['12\u03bcs', 12_000n],
    ['100ms', 100_000_000n],
    ['15m', 15n * MIN],
    ['16h', 16n * H],
    ['1h0m0s', H],
    ['3h30m', 3n * H + 30n * MIN],
    ['10.5s4m', 4n * MIN + 10n * S + 500_000_000n],
    ['-2m3.4s', -(2n * MIN + 3n * S + 400_000_000n)],
    ['1h2m3.5s', H + 2n * MIN + 3n * S + 500_000_000n],
    ['1h2m3s4ms5us6ns', H + 2n * MIN + 3n * S + 4_000_000n + 5_000n + 6n],
    ['39h9m14.425s', 39n * H + 9n * MIN + 14n * S + 425_000_000n],
    ['0.3333333333333333333h', 20n * MIN],
    ['0.830103483285477580700h', 49n * MIN + 48n * S + 372_539_827n],
    ['9007199254740993ns', 9007199254740993n],
    ['9223372036854775807ns', MAX],
    ['9223372036854775.807us', MAX],
    ['9223372036s854ms775us807ns', MAX],
    ['-9223372036854775808ns', MIN_DURATION],
    ['-2562047h47m16.854775808s', MIN_DURATION]
  ]
  it.each(valid)('%s', (text, ns) => {
    expect(parseGoDurationNs(text)).toBe(ns)
  })

  const invalid: [string, RegExp][] = [
    ['', /time: invalid duration ""/],
    ['3', /time: missing unit in duration "3"/],
    ['-', /invalid duration/],
    ['s', /invalid duration/],
    ['.', /invalid duration/],
    ['-.', /invalid duration/],
    ['.s', /invalid duration/],
    ['+.s', /invalid duration/],
    ['1d', /time: unknown unit "d" in duration "1d"/],
    ['1 s', /unknown unit " s"/],
    ['1S', /unknown unit "S"/],
    ['9223372036854775808ns', /invalid duration/],
    ['9223372036854775.808us', /invalid duration/],
    ['-9223372036854775809ns', /invalid duration/],
    ['9223372036s854ms775us808ns', /invalid duration/]
  ]
  it.each(invalid)('rejects %j', (text, message) => {
    expect(() => parseGoDurationNs(text)).toThrow(message)
  })
})

describe('formatGoDurationNs (Go Duration.String)', () => {
  const cases: [bigint, string][] = [
    [0n, '0s'],
    [1n, '1ns'],
    [1_100n, '1.1\u00b5s'],
    [2_200_000n, '2.2ms'],
    [100_000_000n, '100ms'],
    [1_500_000_000n, '1.5s'],
    [3_300_000_000n, '3.3s'],
    [20n * S, '20s'],
    [90n * S, '1m30s'],
    [4n * MIN + 5n * S, '4m5s'],
    [4n * MIN + 5_001_000_000n, '4m5.001s'],
    [H, '1h0m0s'],
    [168n * H, '168h0m0s'],
    [5n * H + 6n * MIN + 7_001_000_000n, '5h6m7.001s'],
    [8n * MIN + 1n, '8m0.000000001s'],
    [MAX, '2562047h47m16.854775807s'],
    [MIN_DURATION, '-2562047h47m16.854775808s'],
    [-1_500_000n, '-1.5ms']
  ]
  it.each(cases)('%s ns is %s', (ns, text) => {
    expect(formatGoDurationNs(ns)).toBe(text)
  })

  it('rejects values outside int64', () => {
    expect(() => formatGoDurationNs(MAX + 1n)).toThrow(/outside the range/)
  })

  it('round-trips through parsing', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MIN_DURATION, max: MAX }), (ns) => {
        expect(parseGoDurationNs(formatGoDurationNs(ns))).toBe(ns)
      })
    )
  })
})

describe('millisecond forms', () => {
  it('parse and format', () => {
    expect(parseGoDuration('100ms')).toBe(100)
    expect(parseGoDuration('20s')).toBe(20_000)
    expect(parseGoDuration('1.5us')).toBe(0.0015)
    expect(formatGoDuration(100)).toBe('100ms')
    expect(formatGoDuration(3_000)).toBe('3s')
    expect(formatGoDuration(0)).toBe('0s')
    expect(formatGoDuration(3_600_000)).toBe('1h0m0s')
    expect(formatGoDuration(0.0015)).toBe('1.5\u00b5s')
    expect(() => formatGoDuration(Number.NaN)).toThrow(/finite/)
  })
})
