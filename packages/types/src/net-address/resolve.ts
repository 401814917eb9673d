import { deadlineSignal, raceSignal, throwIfAborted, type AbortOptions } from '../abort.js'
import { NetAddressError, NetAddressLookupError } from './errors.js'
import { parseIP } from './ip.js'
import { NetAddress } from './net-address.js'
import { parseAddressParts } from './parse.js'

/**
 * Resolves a host name to IP literals, best first. The signal fires on
 * time-out or cancellation; honouring it is optional (the caller stops
 * waiting anyway).
 */
export type HostLookup = (host: string, options: { signal: AbortSignal }) => Promise<readonly string[]>

/** Options of the resolving parsers. */
export interface ResolveOptions extends AbortOptions {
  /** Time allowed for one host-name lookup; default {@link DEFAULT_LOOKUP_TIMEOUT_MS}. */
  timeoutMs?: number | undefined
  /** Resolver to use instead of the system one (`dns.lookup`), e.g. in tests. */
  lookup?: HostLookup | undefined
}

/** Default time allowed for resolving one host name, in milliseconds. */
export const DEFAULT_LOOKUP_TIMEOUT_MS = 5_000

/**
 * The system resolver (getaddrinfo, so /etc/hosts applies), all addresses in
 * the order Node returns them (`dns.setDefaultResultOrder` applies). Loaded
 * on first use so that merely importing this package needs no `node:dns`.
 */
const systemLookup: HostLookup = async (host) => {
  const dns = await import('node:dns/promises')
  const results = await dns.lookup(host, { all: true })
  return results.map((r) => r.address)
}

/**
 * Resolves `host` and returns the 16-byte form of the first address, as the
 * reference takes the first result of its lookup. `input` is the address
 * being parsed, for the error. Rejects with {@link NetAddressLookupError},
 * or with the caller's abort reason when `options.signal` fires.
 */
export async function resolveHost(input: string, host: string, options: ResolveOptions = {}): Promise<Uint8Array> {
  const { signal, lookup = systemLookup, timeoutMs = DEFAULT_LOOKUP_TIMEOUT_MS } = options
  throwIfAborted(signal)
  const deadline = deadlineSignal(timeoutMs, signal, `lookup of ${host}`)
  let results: readonly string[]
  try {
    results = await raceSignal(lookup(host, { signal: deadline.signal }), deadline.signal)
  } catch (err) {
    throwIfAborted(signal)
    const reason = deadline.signal.aborted ? `no answer within ${timeoutMs} ms` : errorText(err)
    throw new NetAddressLookupError(input, host, reason, { cause: err })
  } finally {
    deadline.clear()
  }
  const first = results[0]
  if (first === undefined) throw new NetAddressLookupError(input, host, 'no addresses found')
  const ip = parseIP(first, true)
  if (ip === undefined) throw new NetAddressLookupError(input, host, `resolver returned ${JSON.stringify(first)}, not an IP address`)
  return ip
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * Parses `[scheme://]id@host:port` like {@link NetAddress.fromString}, and
 * also accepts a host name, resolved with `options.lookup` (default: the
 * system resolver) within `options.timeoutMs`. The first address returned
 * is used, as in the reference. Rejects with a `NetAddressError` subclass,
 * or with an `AbortError` when `options.signal` fires.
 */
export async function parseNetAddress(address: string, options: ResolveOptions = {}): Promise<NetAddress> {
  const parts = parseAddressParts(address)
  const ip = parts.ip ?? (await resolveHost(address, parts.host, options))
  return NetAddress.fromParts(parts.id, ip, parts.port)
}

/** What {@link parseNetAddresses} found: the good addresses and one error per bad entry, both in input order. */
export interface ParsedNetAddresses {
  addresses: NetAddress[]
  errors: NetAddressError[]
}

/**
 * Parses a list of addresses such as the `seeds` or `persistent_peers`
 * settings: either an array (entries used as given) or one comma-separated
 * string (entries trimmed, empty ones dropped). Entries are resolved
 * concurrently; a bad entry is reported in `errors` rather than thrown.
 * Only cancellation through `options.signal` rejects.
 */
export async function parseNetAddresses(list: readonly string[] | string, options: ResolveOptions = {}): Promise<ParsedNetAddresses> {
  const entries = typeof list === 'string' ? list.split(',').map((s) => s.trim()).filter((s) => s !== '') : list
  const outcomes = await Promise.all(
    entries.map(async (entry): Promise<NetAddress | NetAddressError> => {
      try {
        return await parseNetAddress(entry, options)
      } catch (err) {
        if (err instanceof NetAddressError) return err
        throw err
      }
    })
  )
  const result: ParsedNetAddresses = { addresses: [], errors: [] }
  for (const outcome of outcomes) {
    if (outcome instanceof NetAddress) result.addresses.push(outcome)
    else result.errors.push(outcome)
  }
  return result
}
