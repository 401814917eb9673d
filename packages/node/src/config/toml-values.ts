/**
 * Conversion of TOML values to configuration fields. CometBFT decodes its
 * file with viper and mapstructure in "weakly typed" mode, so a few
 * mismatches it tolerates are tolerated here too: integers and booleans
 * written as strings (`"40"`, `"true"`), booleans written as 0/1, numbers
 * where text is expected, and durations written as an integer number of
 * nanoseconds.
 */
import { parseGoDurationNs } from './duration.js'
import { splitList } from './address.js'
import type { ConfigKind } from './schema.js'

/** Go's `strconv.ParseBool` spellings. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True'])
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False'])

/** The outcome of converting one value: the field value, or why it cannot be used. */
export type Converted = { ok: true; value: unknown } | { ok: false; problem: string }

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object' && value !== null) return value instanceof Date ? 'a date' : 'a table'
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`
  return `${typeof value} ${String(value)}`
}

function bad(problem: string): Converted {
  return { ok: false, problem }
}

function toInt(value: unknown): Converted {
  let n: number | bigint | undefined
  if (typeof value === 'number' || typeof value === 'bigint') n = value
  else if (typeof value === 'string' && /^[+-]?[0-9]+$/.test(value.trim())) n = BigInt(value.trim())
  else if (typeof value === 'boolean') n = value ? 1 : 0
  if (n === undefined) return bad(`must be an integer, got ${describe(value)}`)
  if (typeof n === 'number' && !Number.isInteger(n)) return bad(`must be an integer, got ${n}`)
  const big = BigInt(n)
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) return bad(`is out of range: ${big}`)
  return { ok: true, value: Number(big) }
}

function toBool(value: unknown): Converted {
  if (typeof value === 'boolean') return { ok: true, value }
  if (typeof value === 'string' && TRUE.has(value)) return { ok: true, value: true }
  if (typeof value === 'string' && FALSE.has(value)) return { ok: true, value: false }
  if (typeof value === 'number' || typeof value === 'bigint') return { ok: true, value: value !== 0 && value !== 0n }
  return bad(`must be true or false, got ${describe(value)}`)
}

function toDuration(value: unknown): Converted {
  if (typeof value === 'string') {
    try {
      return { ok: true, value: Number(parseGoDurationNs(value.trim())) / 1_000_000 }
    } catch (err) {
      return bad(`must be a duration such as "100ms" or "1m30s": ${(err as Error).message}`)
    }
  }
  if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint') {
    // A bare integer is a number of nanoseconds, as Go decodes it into a time.Duration.
    return { ok: true, value: Number(value) / 1_000_000 }
  }
  return bad(`must be a duration such as "100ms" or "1m30s", got ${describe(value)}`)
}

/** Converts a TOML value to the TypeScript form of a field of kind `kind`. */
export function convertTomlValue(kind: ConfigKind, value: unknown): Converted {
  switch (kind) {
    case 'int':
      return toInt(value)
    case 'bool':
      return toBool(value)
    case 'duration':
      return toDuration(value)
    case 'string':
    case 'list': {
      let text: string
      if (typeof value === 'string') text = value
      else if (typeof value === 'number' || typeof value === 'bigint') text = String(value)
      else if (typeof value === 'boolean') text = value ? '1' : '0'
      else return bad(`must be a string, got ${describe(value)}`)
      return { ok: true, value: kind === 'list' ? splitList(text) : text }
    }
  }
}

/**
 * A TOML string literal (basic string) for `text`: quotes, backslashes and
 * control characters escaped; lone surrogates, which TOML cannot hold,
 * become U+FFFD.
 */
export function tomlString(text: string): string {
  let out = '"'
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\r') out += '\\r'
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`
    else if (code >= 0xd800 && code <= 0xdfff) out += '\ufffd'
    else out += ch
  }
  return `${out}"`
}
