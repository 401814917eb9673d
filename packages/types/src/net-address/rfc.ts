/**
 * Address-range predicates over the 16-byte form of `ip.ts`.
 *
 * Go's `IPNet.Contains` treats the two families separately: an IPv4 network
 * only ever contains IPv4(-mapped) addresses and an IPv6 network never
 * contains one. The helpers below keep that rule, so for example no IPv6
 * predicate holds for `::ffff:10.0.0.1`.
 */
import { InvalidArgumentError } from '../errors.js'
import { IP_BYTE_LENGTH, isIPv4Mapped, parseIP } from './ip.js'

/** A network prefix of one family. */
interface Range {
  readonly v4: boolean
  /** The network as 16 bytes (IPv4-mapped for IPv4 networks). */
  readonly net: Uint8Array
  /** Prefix length counted within the family (0–32 or 0–128). */
  readonly bits: number
}

function range(cidr: string): Range {
  const [address = '', bits = ''] = cidr.split('/')
  const net = parseIP(address)
  if (net === undefined) throw new InvalidArgumentError(`bad built-in network ${cidr}`)
  return { v4: isIPv4Mapped(net), net, bits: Number(bits) }
}

function contains(r: Range, ip: Uint8Array): boolean {
  if (isIPv4Mapped(ip) !== r.v4) return false
  // IPv4 prefixes apply to the last four bytes of the mapped form.
  const offset = r.v4 ? 12 : 0
  let bits = r.bits
  for (let i = offset; i < IP_BYTE_LENGTH && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff
    if (((ip[i] ?? 0) & mask) !== ((r.net[i] ?? 0) & mask)) return false
  }
  return true
}

const RFC1918 = [range('10.0.0.0/8'), range('192.168.0.0/16'), range('172.16.0.0/12')]
const RFC2544 = range('198.18.0.0/15')
const RFC3849 = range('2001:db8::/32')
const RFC3927 = range('169.254.0.0/16')
const RFC3964 = range('2002::/16')
const RFC4193 = range('fc00::/7')
const RFC4380 = range('2001::/32')
const RFC4843 = range('2001:10::/28')
// Deliberately only the first /64 of fe80::/10, as in the reference.
const RFC4862 = range('fe80::/64')
const RFC6052 = range('64:ff9b::/96')
const RFC6145 = range('::ffff:0:0:0/96')
const RFC6598 = range('100.64.0.0/10')
const ONION_CAT = range('fd87:d87e:eb43::/48')
const ZERO4 = range('0.0.0.0/8')

/** IPv4 private networks: 10/8, 172.16/12, 192.168/16. */
export const isRFC1918 = (ip: Uint8Array): boolean => RFC1918.some((r) => contains(r, ip))
/** IPv4 benchmarking network 198.18/15. */
export const isRFC2544 = (ip: Uint8Array): boolean => contains(RFC2544, ip)
/** IPv6 documentation prefix 2001:db8::/32. */
export const isRFC3849 = (ip: Uint8Array): boolean => contains(RFC3849, ip)
/** IPv4 link-local autoconfiguration 169.254/16. */
export const isRFC3927 = (ip: Uint8Array): boolean => contains(RFC3927, ip)
/** 6to4 prefix 2002::/16. */
export const isRFC3964 = (ip: Uint8Array): boolean => contains(RFC3964, ip)
/** IPv6 unique local addresses fc00::/7. */
export const isRFC4193 = (ip: Uint8Array): boolean => contains(RFC4193, ip)
/** Teredo tunnelling 2001::/32. */
export const isRFC4380 = (ip: Uint8Array): boolean => contains(RFC4380, ip)
/** ORCHID 2001:10::/28. */
export const isRFC4843 = (ip: Uint8Array): boolean => contains(RFC4843, ip)
/** IPv6 link-local autoconfiguration, restricted to fe80::/64. */
export const isRFC4862 = (ip: Uint8Array): boolean => contains(RFC4862, ip)
/** NAT64 well-known prefix 64:ff9b::/96. */
export const isRFC6052 = (ip: Uint8Array): boolean => contains(RFC6052, ip)
/** IPv4-translated addresses ::ffff:0:0:0/96 (not the IPv4-mapped range). */
export const isRFC6145 = (ip: Uint8Array): boolean => contains(RFC6145, ip)
/** Carrier-grade NAT shared space 100.64/10. */
export const isRFC6598 = (ip: Uint8Array): boolean => contains(RFC6598, ip)
/** OnionCat (Tor) prefix fd87:d87e:eb43::/48, inside the RFC 4193 range. */
export const isOnionCatTor = (ip: Uint8Array): boolean => contains(ONION_CAT, ip)
/** IPv4 "this network" 0.0.0.0/8. */
export const isZero4 = (ip: Uint8Array): boolean => contains(ZERO4, ip)

/** Loopback as Go defines it: 127/8, or exactly ::1. */
export function isLoopback(ip: Uint8Array): boolean {
  if (isIPv4Mapped(ip)) return ip[12] === 127
  return ip.every((b, i) => b === (i === IP_BYTE_LENGTH - 1 ? 1 : 0))
}

/** The unspecified address of either family: 0.0.0.0 or ::. */
export function isUnspecified(ip: Uint8Array): boolean {
  if (isIPv4Mapped(ip)) return ip[12] === 0 && ip[13] === 0 && ip[14] === 0 && ip[15] === 0
  return ip.every((b) => b === 0)
}

/** The IPv4 limited broadcast address 255.255.255.255. */
export function isIPv4Broadcast(ip: Uint8Array): boolean {
  return isIPv4Mapped(ip) && ip[12] === 255 && ip[13] === 255 && ip[14] === 255 && ip[15] === 255
}
