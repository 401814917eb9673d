import { InvalidArgumentError, type NetAddress, type NodeId } from '@comet-p2p/types'
import {
  AddrBookBannedError,
  AddrBookInvalidAddrError,
  AddrBookNilAddrError,
  AddrBookNonRoutableError,
  AddrBookPrivateError,
  AddrBookPrivateSrcError,
  AddrBookSelfError
} from './errors.js'
import type { GoTime } from './go-time.js'
import type { KnownAddress } from './known-address.js'

/** The lists an address is checked against before it may enter the book. */
export interface AdmissionRules {
  readonly bans: Map<NodeId, KnownAddress>
  readonly privateIds: ReadonlySet<string>
  readonly ourAddrs: ReadonlySet<string>
  /** Node IDs of our own addresses: any address carrying one is ours, whatever its IP and port. */
  readonly ourIds: ReadonlySet<string>
  readonly routabilityStrict: boolean
}

/**
 * Throws the reference's refusal for `addr` learnt from `src`, checking in
 * the reference's order; returns the two addresses when they may be added.
 * A ban that has run out is dropped from `rules.bans` on the way: the fresh
 * address replaces the banned record.
 */
export function admit(addr: unknown, src: unknown, rules: AdmissionRules, now: GoTime): { addr: NetAddress; src: NetAddress } {
  if (!isNetAddress(addr) || !isNetAddress(src)) {
    throw new AddrBookNilAddrError(isNetAddress(addr) ? addr : undefined, isNetAddress(src) ? src : undefined)
  }
  const invalid = addr.valid()
  if (invalid !== null) throw new AddrBookInvalidAddrError(addr, src, invalid)
  // Not in the reference, which keeps port 0 entries: they can never be
  // dialed, so a peer could only use them to fill the book with junk.
  if (addr.port === 0) throw new AddrBookInvalidAddrError(addr, src, new InvalidArgumentError('port 0 cannot be dialed'))
  const ban = rules.bans.get(addr.id)
  if (ban !== undefined) {
    if (ban.isBanned(now)) throw new AddrBookBannedError(addr, src)
    rules.bans.delete(addr.id)
  }
  if (rules.privateIds.has(addr.id)) throw new AddrBookPrivateError(addr, src)
  if (rules.privateIds.has(src.id)) throw new AddrBookPrivateSrcError(addr, src)
  // The reference refuses only the exact id@ip:port; our node ID behind any
  // other address is just as surely not a peer (a dial would reach us or an
  // impostor), so a peer cannot fill the book with our ID either.
  if (rules.ourAddrs.has(addr.toString()) || rules.ourIds.has(addr.id)) throw new AddrBookSelfError(addr, src)
  if (rules.routabilityStrict && !addr.routable()) throw new AddrBookNonRoutableError(addr, src)
  return { addr, src }
}

/**
 * Whether `value` looks like a `NetAddress`. Checked by shape rather than
 * with `instanceof`, which fails when the ESM and CommonJS builds of
 * `@comet-p2p/types` are both loaded.
 */
function isNetAddress(value: unknown): value is NetAddress {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Partial<Record<'id' | 'valid' | 'routable' | 'ipBytes', unknown>>
  return typeof candidate.id === 'string' && typeof candidate.valid === 'function' && typeof candidate.routable === 'function' && candidate.ipBytes instanceof Uint8Array
}
