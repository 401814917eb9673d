/**
 * Line formats of the logger. `plain` follows CometBFT's text logger
 * (`I[2006-01-02|15:04:05.000] message   module=p2p key=value`), `json` its
 * JSON logger (`_msg`, `level`, `ts` and the fields, one object per line).
 */
import type { LogFields } from '@comet-p2p/types'
import type { LogLevel } from './level.js'

/** What one line says. */
export interface LogRecord {
  level: Exclude<LogLevel, 'none'>
  /** Milliseconds since the Unix epoch. */
  time: number
  message: string
  /** Every field, `module` included. */
  fields: LogFields
}

/** The reference pads the message to this width in plain lines. */
const MESSAGE_WIDTH = 44

const LETTER: Readonly<Record<LogRecord['level'], string>> = { debug: 'D', info: 'I', warn: 'W', error: 'E' }

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** `2006-01-02|15:04:05.000`, in local time unless `utc`. */
export function formatPlainTime(time: number, utc: boolean): string {
  const d = new Date(time)
  const [y, mo, day, h, mi, s, ms] = utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()]
  return `${pad(y, 4)}-${pad(mo)}-${pad(day)}|${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}`
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase()
}

/** Text of a value that has its own `toString` (such as a `NetAddress`), or of anything else via `String`. */
function stringOf(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    try {
      return (value as { toString(): string }).toString()
    } catch {
      return Object.prototype.toString.call(value)
    }
  }
  return String(value)
}

/** Whether a field needs quoting (or a key cleaning) in logfmt: empty, or spaces, `=`, quotes, backslashes, control characters. */
function needsQuoting(text: string): boolean {
  if (text === '') return true
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c <= 0x20 || c === 0x7f || c === 0x3d || c === 0x22 || c === 0x5c || c === 0x85 || c === 0xa0 || c === 0x2028 || c === 0x2029) return true
  }
  return false
}

function hasOwnToString(value: object): boolean {
  const fn = (value as { toString?: unknown }).toString
  return typeof fn === 'function' && fn !== Object.prototype.toString && fn !== Array.prototype.toString
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => jsonValue(v)) ?? stringOf(value)
  } catch {
    return stringOf(value)
  }
}

/** A field value as text for plain lines: errors by message, bytes as uppercase hex (as the reference), objects as JSON. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof Error) return value.message
  if (value instanceof Uint8Array) return hex(value)
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()
  if (typeof value === 'object' && value !== null) return hasOwnToString(value) ? stringOf(value) : safeJson(value)
  return stringOf(value)
}

/** A field value for JSON lines; what JSON cannot hold (bigint, bytes, errors) becomes text. */
function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Error) return value.message
  if (value instanceof Uint8Array) return hex(value)
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && hasOwnToString(value)) {
    return stringOf(value)
  }
  return value
}

function logfmtKey(key: string): string {
  if (key === '') return '_'
  return needsQuoting(key) ? [...key].map((ch) => (needsQuoting(ch) ? '_' : ch)).join('') : key
}

function logfmtValue(text: string): string {
  return needsQuoting(text) ? JSON.stringify(text) : text
}

/**
 * A plain line: level letter, time, message padded to 44 characters, then
 * `module=` and the other fields as logfmt `key=value` pairs (quoted when
 * needed), and a newline.
 */
export function formatPlainLine(record: LogRecord, utc: boolean): string {
  let line = `${LETTER[record.level]}[${formatPlainTime(record.time, utc)}] ${record.message.padEnd(MESSAGE_WIDTH)}`
  const { module, ...rest } = record.fields
  if (module !== undefined) line += ` module=${logfmtValue(textOf(module))}`
  for (const [key, value] of Object.entries(rest)) line += ` ${logfmtKey(key)}=${logfmtValue(textOf(value))}`
  return `${line.trimEnd()}\n`
}

const RESERVED = new Set(['level', 'ts', '_msg'])

/** A JSON line: `{"level","ts" (ISO, UTC),"_msg",...fields}`; a field named like those gets a trailing `_`. */
export function formatJsonLine(record: LogRecord): string {
  const doc: Record<string, unknown> = { level: record.level, ts: new Date(record.time).toISOString(), _msg: record.message }
  for (const [key, value] of Object.entries(record.fields)) {
    doc[RESERVED.has(key) ? `${key}_` : key] = jsonValue(value)
  }
  let text: string
  try {
    text = JSON.stringify(doc, (_key, v: unknown) => jsonValue(v))
  } catch {
    // A cyclic or otherwise unserialisable field: fall back to text for each.
    const flat: Record<string, string> = {}
    for (const [key, value] of Object.entries(doc)) flat[key] = typeof value === 'string' ? value : textOf(value)
    text = JSON.stringify(flat)
  }
  return `${text}\n`
}
