/**
 * Go `time.Duration` text, as CometBFT writes durations in `config.toml`
 * (`"100ms"`, `"20s"`, `"1h0m0s"`). Parsing follows Go's
 * `time.ParseDuration` step by step, including its float arithmetic for
 * fractions, so that the same texts are accepted and give the same number of
 * nanoseconds; formatting is `Duration.String()`.
 */
import { InvalidArgumentError } from '@comet-p2p/types'

/** 2^63: one past the largest Go duration, and the magnitude of the smallest. */
const LIMIT = 1n << 63n

const NS_PER_MS = 1_000_000

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // micro sign
  ['\u03bcs', 1_000n], // Greek small letter mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n]
])

function isDigit(c: string | undefined): c is string {
  return c !== undefined && c >= '0' && c <= '9'
}

function invalid(text: string): InvalidArgumentError {
  return new InvalidArgumentError(`time: invalid duration ${JSON.stringify(text)}`)
}

/** Go's `leadingFraction`: digits after the point, dropping precision rather than overflowing. */
function leadingFraction(s: string): { f: bigint; scale: number; rest: string } {
  let f = 0n
  let scale = 1
  let overflow = false
  let i = 0
  for (; i < s.length && isDigit(s[i]); i++) {
    if (overflow) continue
    if (f > (LIMIT - 1n) / 10n) {
      overflow = true
      continue
    }
    const next = f * 10n + BigInt(s.charCodeAt(i) - 48)
    if (next > LIMIT) {
      overflow = true
      continue
    }
    f = next
    scale *= 10
  }
  return { f, scale, rest: s.slice(i) }
}

/**
 * Parses a Go duration (`"300ms"`, `"-1.5h"`, `"2h45m"`, `"0"`) into
 * nanoseconds. Units: `ns`, `us` (or `µs`), `ms`, `s`, `m`, `h`; every
 * number needs a unit except a lone `0`. Throws an `InvalidArgumentError`
 * with Go's message on bad syntax or outside the int64 range.
 */
export function parseGoDurationNs(text: string): bigint {
  let s = text
  let negative = false
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-')
    s = s.slice(1)
  }
  if (s === '0') return 0n
  if (s === '') throw invalid(text)
  let total = 0n
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid(text)
    let v = 0n
    let i = 0
    for (; i < s.length && isDigit(s[i]); i++) {
      if (v > LIMIT / 10n) throw invalid(text)
      v = v * 10n + BigInt(s.charCodeAt(i) - 48)
      if (v > LIMIT) throw invalid(text)
    }
    const pre = i > 0
    s = s.slice(i)
    let f = 0n
    let scale = 1
    let post = false
    if (s.startsWith('.')) {
      const fraction = leadingFraction(s.slice(1))
      post = fraction.rest.length !== s.length - 1
      ;({ f, scale } = fraction)
      s = fraction.rest
    }
    if (!pre && !post) throw invalid(text)
    let u = 0
    while (u < s.length && s[u] !== '.' && !isDigit(s[u])) u++
    if (u === 0) throw new InvalidArgumentError(`time: missing unit in duration ${JSON.stringify(text)}`)
    const unitName = s.slice(0, u)
    s = s.slice(u)
    const unit = UNITS.get(unitName)
    if (unit === undefined) {
      throw new InvalidArgumentError(`time: unknown unit ${JSON.stringify(unitName)} in duration ${JSON.stringify(text)}`)
    }
    if (v > LIMIT / unit) throw invalid(text)
    v *= unit
    if (f > 0n) {
      // Go computes this part in float64 ("to be nanosecond accurate for
      // fractions of hours") and truncates; doing the same keeps results equal.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)))
      if (v > LIMIT) throw invalid(text)
    }
    total += v
    if (total > LIMIT) throw invalid(text)
  }
  if (negative) return -total
  if (total > LIMIT - 1n) throw invalid(text)
  return total
}

/** Go's `fmtFrac`: the `prec` low digits of `v` as `.ddd` without trailing zeros, and `v / 10^prec`. */
function fmtFrac(v: bigint, prec: number): { text: string; rest: bigint } {
  let text = ''
  let print = false
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n
    print = print || digit !== 0n
    if (print) text = `${digit}${text}`
    v /= 10n
  }
  return { text: print ? `.${text}` : '', rest: v }
}

/**
 * Formats nanoseconds exactly as Go's `Duration.String()`: `"0s"`,
 * `"1.5µs"`, `"100ms"`, `"20s"`, `"1m30s"`, `"1h0m0s"`. Throws an
 * `InvalidArgumentError` outside the int64 range.
 */
export function formatGoDurationNs(ns: bigint): string {
  if (ns >= LIMIT || ns < -LIMIT) throw new InvalidArgumentError(`duration of ${ns} ns is outside the range of a Go duration`)
  const negative = ns < 0n
  let u = negative ? -ns : ns
  let out: string
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s'
    let unit: string
    let prec: number
    if (u < 1_000n) {
      unit = 'ns'
      prec = 0
    } else if (u < 1_000_000n) {
      unit = '\u00b5s'
      prec = 3
    } else {
      unit = 'ms'
      prec = 6
    }
    const frac = fmtFrac(u, prec)
    out = `${frac.rest}${frac.text}${unit}`
  } else {
    const frac = fmtFrac(u, 9)
    u = frac.rest
    out = `${u % 60n}${frac.text}s`
    u /= 60n
    if (u > 0n) {
      out = `${u % 60n}m${out}`
      u /= 60n
      if (u > 0n) out = `${u}h${out}`
    }
  }
  return negative ? `-${out}` : out
}

/**
 * Parses a Go duration into milliseconds (the unit durations have in this
 * package's TypeScript API); sub-millisecond parts become fractions.
 */
export function parseGoDuration(text: string): number {
  return Number(parseGoDurationNs(text)) / NS_PER_MS
}

/**
 * Formats milliseconds as Go's `Duration.String()` does, after rounding to
 * whole nanoseconds: `formatGoDuration(100)` is `"100ms"`, `20_000` gives
 * `"20s"`, `3_600_000` gives `"1h0m0s"`. Throws an `InvalidArgumentError`
 * for a value that is not finite or outside the range of a Go duration.
 */
export function formatGoDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new InvalidArgumentError(`duration must be a finite number of milliseconds, got ${ms}`)
  return formatGoDurationNs(BigInt(Math.round(ms * NS_PER_MS)))
}
