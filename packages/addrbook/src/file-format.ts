/**
 * The `addrbook.json` format of the reference, plus two top-level fields of
 * our own that CometBFT's loader ignores:
 *
 * - `hash_key`: hex of the 32-byte key of the bucket-placement hash, so
 *   addresses keep their buckets across restarts;
 * - `bans`: banned entries (same record shape as `addrs`, with
 *   `last_ban_time` the end of the ban), so bans survive a restart.
 */
import { NetAddress, type Logger, type NodeId } from '@comet-p2p/types'
import { AddrBookFileCorruptError } from './errors.js'
import { formatGoTime, parseGoTime, ZERO_TIME, type GoTime } from './go-time.js'
import { KnownAddress } from './known-address.js'
import {
  BUCKET_TYPE_NEW,
  BUCKET_TYPE_OLD,
  HASH_KEY_BYTE_LENGTH,
  MAX_NEW_BUCKETS_PER_ADDRESS,
  NEW_BUCKET_COUNT,
  OLD_BUCKET_COUNT,
  type BucketType
} from './params.js'

/** An address as the file stores it (the reference `NetAddress` JSON). */
export interface NetAddressJson {
  id: string
  ip: string
  port: number
}

/** One entry as the file stores it (the reference `knownAddress` JSON). */
export interface KnownAddressJson {
  addr: NetAddressJson
  src: NetAddressJson
  buckets: number[]
  attempts: number
  bucket_type: number
  last_attempt: string
  last_success: string
  last_ban_time: string
}

/** The whole file: the reference's `key` and `addrs`, then our `hash_key` and `bans`. */
export interface AddrBookJson {
  key: string
  addrs: KnownAddressJson[]
  hash_key: string
  bans: KnownAddressJson[]
}

/** What the book writes. */
export interface AddrBookSnapshot {
  key: string
  hashKey: Uint8Array
  entries: Iterable<KnownAddress>
  bans: Iterable<KnownAddress>
}

/** What a file holds once validated. Missing `key` / `hash_key` are `undefined`. */
export interface DecodedAddrBook {
  key: string | undefined
  hashKey: Uint8Array | undefined
  entries: KnownAddress[]
  bans: KnownAddress[]
}

/** Serialises a book as the reference does: tab-indented JSON, no trailing newline. */
export function encodeAddrBook(snapshot: AddrBookSnapshot): string {
  const json: AddrBookJson = {
    key: snapshot.key,
    addrs: Array.from(snapshot.entries, encodeKnownAddress),
    hash_key: Buffer.from(snapshot.hashKey).toString('hex'),
    bans: Array.from(snapshot.bans, encodeKnownAddress)
  }
  return JSON.stringify(json, null, '\t')
}

function encodeKnownAddress(ka: KnownAddress): KnownAddressJson {
  return {
    addr: ka.addr.toProto(),
    src: ka.src.toProto(),
    buckets: [...ka.buckets],
    attempts: ka.attempts,
    bucket_type: ka.bucketType,
    last_attempt: formatGoTime(ka.lastAttempt),
    last_success: formatGoTime(ka.lastSuccess),
    last_ban_time: formatGoTime(ka.lastBanTime)
  }
}

/**
 * Parses and validates a file's text. Text that is not JSON, or not an
 * object with an `addrs` field holding an array (or null, as the reference
 * writes an empty book), is a {@link AddrBookFileCorruptError}
 * naming `file`. Entries that fail validation, repeat a node ID, or (for
 * bans) have expired by `now` are skipped, each with a warning; a ban wins
 * over a book entry with the same ID.
 */
export function decodeAddrBook(text: string, file: string, now: GoTime, logger: Logger): DecodedAddrBook {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    const reason = text.trim() === '' ? 'the file is empty' : `not valid JSON (${err instanceof Error ? err.message : String(err)})`
    throw new AddrBookFileCorruptError(file, reason, { cause: err })
  }
  if (!isRecord(parsed)) throw new AddrBookFileCorruptError(file, 'the top level is not a JSON object')
  const { key, addrs, hash_key: hashKeyText, bans } = parsed
  if (key !== undefined && key !== null && typeof key !== 'string') throw new AddrBookFileCorruptError(file, '"key" is not a string')
  // The reference always writes "addrs" (null or [] when empty). A file
  // without it is damaged (a mangled key, a foreign JSON file): loading it as
  // an empty book would overwrite the real book on the next save.
  if (addrs === undefined) throw new AddrBookFileCorruptError(file, 'there is no "addrs" field')
  if (addrs !== null && !Array.isArray(addrs)) throw new AddrBookFileCorruptError(file, '"addrs" is not an array')

  const warn = (message: string, fields: Record<string, unknown>): void => logger.warn(`address book: ${message}`, { file, ...fields })
  const banList = decodeBans(bans, now, warn)
  const bannedIds = new Set(banList.map((ka) => ka.id))
  const entries: KnownAddress[] = []
  const seen = new Set<NodeId>()
  for (const [index, raw] of ((addrs ?? []) as unknown[]).entries()) {
    const ka = decodeKnownAddress(raw, 'entry')
    if (typeof ka === 'string') warn('skipping an invalid entry', { index, reason: ka })
    else if (seen.has(ka.id)) warn('skipping a second entry for the same node ID', { index, id: ka.id })
    else if (bannedIds.has(ka.id)) warn('skipping an entry whose node ID is banned', { index, id: ka.id })
    else {
      seen.add(ka.id)
      entries.push(ka)
    }
  }
  return { key: typeof key === 'string' && key !== '' ? key : undefined, hashKey: decodeHashKey(hashKeyText, warn), entries, bans: banList }
}

type Warn = (message: string, fields: Record<string, unknown>) => void

function decodeHashKey(value: unknown, warn: Warn): Uint8Array | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string' && value.length === HASH_KEY_BYTE_LENGTH * 2 && /^[0-9a-fA-F]*$/.test(value)) {
    return new Uint8Array(Buffer.from(value, 'hex'))
  }
  warn('ignoring a malformed "hash_key"; bucket placement of new addresses will change', {})
  return undefined
}

function decodeBans(value: unknown, now: GoTime, warn: Warn): KnownAddress[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) {
    warn('ignoring "bans", which is not an array', {})
    return []
  }
  const out = new Map<NodeId, KnownAddress>()
  for (const [index, raw] of (value as unknown[]).entries()) {
    const ka = decodeKnownAddress(raw, 'ban')
    if (typeof ka === 'string') warn('skipping an invalid ban', { index, reason: ka })
    else if (!ka.isBanned(now)) continue // expired while we were down: forgotten, as the reference forgets every ban
    else if (out.has(ka.id)) warn('skipping a second ban for the same node ID', { index, id: ka.id })
    else out.set(ka.id, ka)
  }
  return [...out.values()]
}

/** One record, or the reason it is unusable. Bans keep no buckets. */
function decodeKnownAddress(raw: unknown, kind: 'entry' | 'ban'): KnownAddress | string {
  if (!isRecord(raw)) return 'not an object'
  const addr = decodeNetAddress(raw['addr'])
  if (typeof addr === 'string') return `addr: ${addr}`
  const invalid = addr.valid()
  if (invalid !== null) return `addr: ${invalid.message}`
  const src = decodeNetAddress(raw['src'])
  if (typeof src === 'string') return `src: ${src}`

  const bucketType = raw['bucket_type']
  if (bucketType !== BUCKET_TYPE_NEW && bucketType !== BUCKET_TYPE_OLD) return `bucket_type ${JSON.stringify(bucketType)} is neither 1 (new) nor 2 (old)`
  const attempts = raw['attempts'] ?? 0
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 0 || attempts > 2 ** 31 - 1) {
    return `attempts ${JSON.stringify(attempts)} is not a non-negative int32`
  }
  const times: GoTime[] = []
  for (const field of ['last_attempt', 'last_success', 'last_ban_time']) {
    const value = raw[field]
    const time = value === undefined || value === null ? ZERO_TIME : typeof value === 'string' ? parseGoTime(value) : undefined
    if (time === undefined) return `${field} ${JSON.stringify(value)} is not an RFC 3339 time`
    times.push(time)
  }
  const buckets = kind === 'ban' ? [] : decodeBuckets(raw['buckets'], bucketType)
  if (typeof buckets === 'string') return buckets
  const [lastAttempt = ZERO_TIME, lastSuccess = ZERO_TIME, lastBanTime = ZERO_TIME] = times
  return new KnownAddress(addr, src, { buckets, attempts, bucketType, lastAttempt, lastSuccess, lastBanTime })
}

function decodeBuckets(value: unknown, type: BucketType): number[] | string {
  if (!Array.isArray(value)) return 'buckets is not an array'
  const count = type === BUCKET_TYPE_NEW ? NEW_BUCKET_COUNT : OLD_BUCKET_COUNT
  const buckets: number[] = []
  for (const index of value as unknown[]) {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count) {
      return `bucket ${JSON.stringify(index)} is out of range for a ${type === BUCKET_TYPE_NEW ? 'new' : 'old'} entry`
    }
    if (!buckets.includes(index)) buckets.push(index)
  }
  if (buckets.length === 0) return 'the entry is in no bucket'
  if (type === BUCKET_TYPE_OLD && buckets.length !== 1) return 'an old entry must be in exactly one bucket'
  if (buckets.length > MAX_NEW_BUCKETS_PER_ADDRESS) return `a new entry may be in at most ${MAX_NEW_BUCKETS_PER_ADDRESS} buckets`
  return buckets
}

function decodeNetAddress(value: unknown): NetAddress | string {
  if (!isRecord(value)) return 'not an object'
  const { id, ip, port } = value
  if (typeof id !== 'string' || typeof ip !== 'string' || typeof port !== 'number') return 'id, ip and port must be a string, a string and a number'
  try {
    return NetAddress.fromProto({ id, ip, port })
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

