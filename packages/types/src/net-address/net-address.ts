import type { NodeId } from '../keys/node-id.js'
import { NetAddressInvalidError, NetAddressInvalidHostError, NetAddressInvalidPortError } from './errors.js'
import { formatIP, isIPv4Mapped, normaliseIPBytes, parseIP } from './ip.js'
import { nodeIdProblem, parseAddressParts } from './parse.js'
import { reachabilityBetween, type Reachability } from './reachability.js'
import * as rfc from './rfc.js'

/**
 * A peer address: node ID, IP and TCP port, as the reference `NetAddress`.
 * Instances are immutable and always hold an IP (host names are resolved
 * before one is built, see `parseNetAddress`). IPv4 addresses are kept in
 * IPv4-mapped form, so `::ffff:1.2.3.4` and `1.2.3.4` are the same address.
 */
export class NetAddress {
  /** The node ID, letter case as given (uppercase IDs are accepted, as by the reference). */
  readonly id: NodeId
  /** The IP as Go's `net.IP.String()` prints it: dotted IPv4, or compressed lowercase IPv6. */
  readonly ip: string
  /** The TCP port, 0–65535. */
  readonly port: number
  readonly #ip: Uint8Array

  private constructor(id: string, ip: Uint8Array, port: number) {
    this.id = id
    this.#ip = ip
    this.ip = formatIP(ip)
    this.port = port
  }

  /**
   * Parses `[scheme://]id@ip:port` without resolving anything: the host must
   * be an IP literal (IPv4, bracketed IPv6, optionally with a `%zone` that is
   * dropped). Throws a `NetAddressError` subclass; a host name is refused
   * with a {@link NetAddressInvalidHostError} (use `parseNetAddress` for those).
   */
  static fromString(address: string): NetAddress {
    const parts = parseAddressParts(address)
    if (parts.ip === undefined) {
      throw new NetAddressInvalidHostError(address, `${JSON.stringify(parts.host)} is a host name; resolve it with parseNetAddress()`)
    }
    return new NetAddress(parts.id, parts.ip, parts.port)
  }

  /**
   * Builds an address from its parts, e.g. from a socket's remote address.
   * `ip` is an IP literal (an IPv6 zone is dropped) or 4 or 16 bytes. The ID
   * is not checked here, as in the reference: {@link NetAddress.valid} does.
   */
  static fromParts(id: string, ip: string | Uint8Array, port: number): NetAddress {
    const bytes = typeof ip === 'string' ? parseIP(ip, true) : normaliseIPBytes(ip)
    const shown = typeof ip === 'string' ? ip : `<${ip.length} bytes>`
    const input = `${id}@${shown}:${port}`
    if (bytes === undefined) throw new NetAddressInvalidHostError(input, `invalid IP address ${shown}`)
    checkPort(input, port)
    return new NetAddress(id, bytes, port)
  }

  /**
   * Reads an address received in a PEX message. The IP must be a plain
   * literal (no zone, no host name) and the port below 65536; like the
   * reference, the ID is not checked (call {@link NetAddress.valid}).
   */
  static fromProto(proto: { readonly id: string; readonly ip: string; readonly port: number }): NetAddress {
    const input = `${proto.id}@${proto.ip}:${proto.port}`
    const bytes = parseIP(proto.ip)
    if (bytes === undefined) throw new NetAddressInvalidHostError(input, `invalid IP address ${proto.ip}`)
    checkPort(input, proto.port)
    return new NetAddress(proto.id, bytes, proto.port)
  }

  /** The PEX wire form `{ id, ip, port }`, the IP printed as {@link NetAddress.ip}. */
  toProto(): { id: string; ip: string; port: number } {
    return { id: this.id, ip: this.ip, port: this.port }
  }

  /** A copy of the 16-byte IP (IPv4 as `::ffff:a.b.c.d`). */
  get ipBytes(): Uint8Array {
    return Uint8Array.from(this.#ip)
  }

  /** True for IPv4 (and IPv4-mapped) addresses, Go's `IP.To4() != nil`. */
  isIPv4(): boolean {
    return isIPv4Mapped(this.#ip)
  }

  /** `ip:port`, with IPv6 in brackets: what to dial. */
  dialString(): string {
    return this.ip.includes(':') ? `[${this.ip}]:${this.port}` : `${this.ip}:${this.port}`
  }

  /** `id@ip:port` (just the dial string when the ID is empty). */
  toString(): string {
    return this.id === '' ? this.dialString() : `${this.id}@${this.dialString()}`
  }

  /** Same ID, IP and port (the ID compared as text, so letter case matters). */
  equals(other: NetAddress): boolean {
    return this.toString() === other.toString()
  }

  /** The reference `Same`: same IP and port, or the same non-empty ID. */
  same(other: NetAddress): boolean {
    return this.dialString() === other.dialString() || (this.id !== '' && this.id === other.id)
  }

  /**
   * Why this address is unacceptable as a peer address, or `null`: a bad ID,
   * or an unspecified (0.0.0.0, ::), broadcast or 2001:db8::/32 IP. Never
   * throws. As in the reference the port is not checked, so port 0 passes.
   */
  valid(): NetAddressInvalidError | null {
    const idProblem = nodeIdProblem(this.id)
    if (idProblem !== undefined) return new NetAddressInvalidError(this.toString(), 'id', idProblem)
    if (rfc.isUnspecified(this.#ip) || this.rfc3849() || rfc.isIPv4Broadcast(this.#ip)) {
      return new NetAddressInvalidError(this.toString(), 'ip', 'unspecified, broadcast or documentation IP')
    }
    return null
  }

  /**
   * Valid and outside the private, link-local, unique-local, ORCHID and local
   * ranges. Other special ranges (RFC 6598, RFC 2544, TEST-NETs, multicast)
   * count as routable, as in the reference.
   */
  routable(): boolean {
    if (this.valid() !== null) return false
    return !(this.rfc1918() || this.rfc3927() || this.rfc4862() || this.rfc4193() || this.rfc4843() || this.local())
  }

  /** Loopback (127/8, ::1) or 0.0.0.0/8. */
  local(): boolean {
    return rfc.isLoopback(this.#ip) || rfc.isZero4(this.#ip)
  }

  /** How well `other` can be reached from this address (the reference `ReachabilityTo`). */
  reachabilityTo(other: NetAddress): Reachability {
    return reachabilityBetween(this, other)
  }

  /** IPv4 private networks 10/8, 172.16/12, 192.168/16. */
  rfc1918(): boolean {
    return rfc.isRFC1918(this.#ip)
  }
  /** IPv6 documentation 2001:db8::/32. */
  rfc3849(): boolean {
    return rfc.isRFC3849(this.#ip)
  }
  /** IPv4 link-local 169.254/16. */
  rfc3927(): boolean {
    return rfc.isRFC3927(this.#ip)
  }
  /** 6to4 2002::/16. */
  rfc3964(): boolean {
    return rfc.isRFC3964(this.#ip)
  }
  /** IPv6 unique local fc00::/7. */
  rfc4193(): boolean {
    return rfc.isRFC4193(this.#ip)
  }
  /** Teredo 2001::/32. */
  rfc4380(): boolean {
    return rfc.isRFC4380(this.#ip)
  }
  /** ORCHID 2001:10::/28. */
  rfc4843(): boolean {
    return rfc.isRFC4843(this.#ip)
  }
  /** IPv6 link-local, only fe80::/64 as in the reference. */
  rfc4862(): boolean {
    return rfc.isRFC4862(this.#ip)
  }
  /** NAT64 64:ff9b::/96. */
  rfc6052(): boolean {
    return rfc.isRFC6052(this.#ip)
  }
  /** IPv4-translated ::ffff:0:0:0/96. */
  rfc6145(): boolean {
    return rfc.isRFC6145(this.#ip)
  }
  /** OnionCat (Tor) fd87:d87e:eb43::/48. */
  onionCatTor(): boolean {
    return rfc.isOnionCatTor(this.#ip)
  }
  /** Carrier-grade NAT 100.64/10. Not a reference predicate: does not affect {@link NetAddress.routable}. */
  rfc6598(): boolean {
    return rfc.isRFC6598(this.#ip)
  }
  /** Benchmarking 198.18/15. Not a reference predicate: does not affect {@link NetAddress.routable}. */
  rfc2544(): boolean {
    return rfc.isRFC2544(this.#ip)
  }
}

function checkPort(input: string, port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new NetAddressInvalidPortError(input, String(port))
}
