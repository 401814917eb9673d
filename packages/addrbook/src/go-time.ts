/**
 * Instants as the reference stores them: Go `time.Time` values marshalled as
 * RFC 3339 with up to nine fractional digits. A JavaScript `Date` only keeps
 * milliseconds, so an instant is held as whole milliseconds plus the
 * nanoseconds below them; a file written by CometBFT therefore round-trips
 * to the nanosecond.
 */

/** An instant: `ms` whole milliseconds since the Unix epoch plus `ns` (0 to 999 999) nanoseconds. */
export interface GoTime {
  readonly ms: number
  readonly ns: number
}

/** Go's zero time, `0001-01-01T00:00:00Z`: "never" in the file. */
export const ZERO_TIME: GoTime = Object.freeze({ ms: -62_135_596_800_000, ns: 0 })

const ZERO_TIME_TEXT = '0001-01-01T00:00:00Z'

// Go refuses to marshal years outside 0..9999, so instants are kept inside.
const MIN_MS = -62_167_219_200_000 // 0000-01-01T00:00:00Z
const MAX_MS = 253_402_300_799_999 // 9999-12-31T23:59:59.999Z

/** True for Go's zero time. */
export function isZeroTime(t: GoTime): boolean {
  return t.ms === ZERO_TIME.ms && t.ns === 0
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareTime(a: GoTime, b: GoTime): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.ns - b.ns
}

/** The instant `ms` milliseconds (fractions allowed) after the Unix epoch, clamped to years 0 to 9999. */
export function timeFromMs(ms: number, extraNs = 0): GoTime {
  if (Number.isNaN(ms)) return ZERO_TIME
  if (ms < MIN_MS) return { ms: MIN_MS, ns: 0 }
  if (ms > MAX_MS) return { ms: MAX_MS, ns: 999_999 }
  const whole = Math.floor(ms)
  const ns = Math.round((ms - whole) * 1e6) + extraNs
  const carry = Math.floor(ns / 1e6)
  const t = { ms: whole + carry, ns: ns - carry * 1e6 }
  return t.ms > MAX_MS ? { ms: MAX_MS, ns: 999_999 } : t
}

/** `t` moved by `deltaMs` milliseconds, keeping its nanoseconds. */
export function addMs(t: GoTime, deltaMs: number): GoTime {
  return timeFromMs(t.ms + deltaMs, t.ns)
}

/** The `Date` of an instant (nanoseconds dropped), or `null` for the zero time. */
export function timeToDate(t: GoTime): Date | null {
  return isZeroTime(t) ? null : new Date(t.ms)
}

/**
 * Formats like Go's `time.RFC3339Nano` in UTC: fractional seconds with
 * trailing zeros removed, and no fraction at all for a whole second.
 */
export function formatGoTime(t: GoTime): string {
  if (isZeroTime(t)) return ZERO_TIME_TEXT
  const d = new Date(t.ms)
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`
  const clock = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  const nanos = d.getUTCMilliseconds() * 1e6 + t.ns
  const fraction = nanos === 0 ? '' : '.' + pad(nanos, 9).replace(/0+$/, '')
  return `${date}T${clock}${fraction}Z`
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/

/**
 * Parses an RFC 3339 timestamp as Go's `time.Time.UnmarshalJSON` accepts
 * it (any number of fractional digits, beyond nine ignored; `Z` or a
 * numeric offset), or returns `undefined`.
 */
export function parseGoTime(text: string): GoTime | undefined {
  if (text === ZERO_TIME_TEXT) return ZERO_TIME // most times in a book are unset
  const m = RFC3339.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  let offsetMinutes = 0
  if (m[8] === undefined) {
    const offHour = Number(m[10])
    const offMinute = Number(m[11])
    if (offHour > 23 || offMinute > 59) return undefined
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offHour * 60 + offMinute)
  }
  const nanos = Number((m[7] ?? '').slice(0, 9).padEnd(9, '0'))
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
  const ms = seconds * 1000 + Math.floor(nanos / 1e6)
  return timeFromMs(ms, nanos % 1e6)
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** Days from 1970-01-01 to the given proleptic Gregorian date (Hinnant's civil-date algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const shiftedMonth = (month + 9) % 12
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}
