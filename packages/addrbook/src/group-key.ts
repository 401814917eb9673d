import { NetAddress } from '@comet-p2p/types'

/**
 * The network group of an address, as the reference `groupKey` names it.
 * Addresses of one group compete for the same few buckets, so one operator
 * with many addresses in one network cannot fill the book.
 *
 * - strict mode only: `local` for loopback and 0.0.0.0/8, `unroutable` for
 *   any other address that is not routable;
 * - IPv4: the /16, e.g. `1.2.0.0`;
 * - IPv6 carrying an IPv4 address (RFC 6145, RFC 6052, 6to4, Teredo with
 *   its inverted bits): that IPv4 address's /16;
 * - OnionCat (Tor): `tor:N`, N the low four bits of the seventh byte;
 * - any other IPv6: the /32, or the /36 inside Hurricane Electric's
 *   2001:470::/32.
 */
export function groupKey(addr: NetAddress, routabilityStrict: boolean): string {
  if (routabilityStrict && addr.local()) return 'local'
  if (routabilityStrict && !addr.routable()) return 'unroutable'

  const ip = addr.ipBytes
  if (addr.isIPv4() || addr.rfc6145() || addr.rfc6052()) return slash16(ip[12], ip[13])
  if (addr.rfc3964()) return slash16(ip[2], ip[3])
  if (addr.rfc4380()) return slash16((ip[12] ?? 0) ^ 0xff, (ip[13] ?? 0) ^ 0xff)
  if (addr.onionCatTor()) return `tor:${(ip[6] ?? 0) & 0x0f}`

  const prefixBits = isHurricaneElectric(ip) ? 36 : 32
  return NetAddress.fromParts('', maskIPv6(ip, prefixBits), 0).ip
}

function slash16(a: number | undefined, b: number | undefined): string {
  return `${a ?? 0}.${b ?? 0}.0.0`
}

/** Inside 2001:470::/32, where bitcoind (and so the reference) groups by /36. */
function isHurricaneElectric(ip: Uint8Array): boolean {
  return ip[0] === 0x20 && ip[1] === 0x01 && ip[2] === 0x04 && ip[3] === 0x70
}

function maskIPv6(ip: Uint8Array, bits: number): Uint8Array {
  const out = new Uint8Array(16)
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    out[i] = (ip[i] ?? 0) & (bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff)
  }
  return out
}
