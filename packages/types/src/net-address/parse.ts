/**
 * The synchronous, resolver-free part of parsing `id@host:port`, shared by
 * the NetAddress factories, the resolving parser and NodeInfo validation.
 * It follows the reference step by step so that the same inputs are
 * rejected; what differs is noted where it happens.
 */
import { NODE_ID_BYTE_LENGTH } from '../keys/node-id.js'
import { NetAddressInvalidHostError, NetAddressInvalidIdError, NetAddressInvalidPortError, NetAddressNoIdError } from './errors.js'
import { parseIP } from './ip.js'

/** An address split into its parts; `ip` is set when the host is an IP literal. */
export interface AddressParts {
  readonly id: string
  readonly host: string
  readonly port: number
  readonly ip: Uint8Array | undefined
}

/**
 * Drops a `scheme://` prefix. Quirk kept from the reference: it keeps only
 * the text between the first and the second `://`, so `a://b://c` yields
 * `b`. That makes such inputs fail for lack of an ID rather than with some
 * other error, which is what the vectors expect.
 */
export function stripScheme(address: string): string {
  const parts = address.split('://')
  return parts.length > 1 ? (parts[1] ?? '') : address
}

/**
 * Why `id` is not a node ID, or `undefined` when it is one. Both letter cases
 * are accepted (the reference hex-decodes the ID, which accepts either) and
 * the case is preserved by the callers.
 */
export function nodeIdProblem(id: string): string | undefined {
  if (id === '') return 'the ID is empty'
  if (!/^[0-9a-fA-F]*$/.test(id)) return 'the ID contains a character that is not hexadecimal'
  if (id.length % 2 !== 0) return 'the ID has an odd number of hex digits'
  if (id.length !== NODE_ID_BYTE_LENGTH * 2) {
    return `the ID is ${id.length / 2} bytes long, expected ${NODE_ID_BYTE_LENGTH}`
  }
  return undefined
}

/**
 * Go's `net.SplitHostPort`: the port follows the last colon; a host holding
 * colons must be bracketed. Returns the reason as a string on failure.
 */
function splitHostPort(hostPort: string): { host: string; port: string } | string {
  const colon = hostPort.lastIndexOf(':')
  if (colon < 0) return 'missing port'
  let host: string
  let from = 0
  let closeFrom = 0
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']')
    if (end < 0) return "missing ']'"
    if (end + 1 === hostPort.length) return 'missing port'
    if (end + 1 !== colon) return hostPort[end + 1] === ':' ? 'too many colons' : 'missing port'
    host = hostPort.slice(1, end)
    from = 1
    closeFrom = end + 1
  } else {
    host = hostPort.slice(0, colon)
    if (host.includes(':')) return 'too many colons (bracket IPv6 addresses: [addr]:port)'
  }
  if (hostPort.indexOf('[', from) >= 0) return "unexpected '['"
  if (hostPort.indexOf(']', closeFrom) >= 0) return "unexpected ']'"
  return { host, port: hostPort.slice(colon + 1) }
}

/**
 * Go's `strconv.ParseUint(s, 10, 16)`: ASCII digits only (no sign, no
 * underscore, not empty), any number of leading zeros, at most 65535.
 */
export function parsePort(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined
  const digits = text.replace(/^0+(?=.)/, '')
  if (digits.length > 5) return undefined
  const port = Number(digits)
  return port <= 0xffff ? port : undefined
}

/**
 * Whether `host` is worth handing to a resolver: dot-separated labels of
 * letters, digits, `-` and `_` (1 to 63 characters, not starting or ending
 * with `-`), 253 characters at most, not all digits. These are the names
 * Go's built-in resolver accepts; anything else fails there as "no such
 * host", so it is refused here before any lookup.
 */
export function isHostName(host: string): boolean {
  const name = host.endsWith('.') ? host.slice(0, -1) : host
  if (name.length === 0 || name.length > 253) return false
  if (/^[0-9.]*$/.test(name)) return false
  return name.split('.').every((label) => /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(label))
}

/**
 * Splits and checks `[scheme://]id@host:port`, in the reference's order: one
 * `@`, the ID, host and port syntax, an empty host. Then the port is checked
 * before the host is classified, whereas the reference resolves the host
 * first; the only effect is that an address with both a bad name and a bad
 * port reports the port, without a DNS query. A host that is neither an IP
 * literal nor a plausible host name is refused here.
 */
export function parseAddressParts(input: string): AddressParts {
  const address = stripScheme(input)
  const at = address.split('@')
  if (at.length !== 2) throw new NetAddressNoIdError(input)
  const [id = '', hostPort = ''] = at
  const idProblem = nodeIdProblem(id)
  if (idProblem !== undefined) throw new NetAddressInvalidIdError(input, id, idProblem)

  const split = splitHostPort(hostPort)
  if (typeof split === 'string') throw new NetAddressInvalidHostError(input, `${split} in ${JSON.stringify(hostPort)}`)
  const { host, port: portText } = split
  if (host === '') throw new NetAddressInvalidHostError(input, 'the host is empty')

  const port = parsePort(portText)
  if (port === undefined) throw new NetAddressInvalidPortError(input, portText)

  // Zones are accepted because the reference resolves zoned literals (and
  // drops the zone); Go's plain IP parser would refuse them.
  const ip = parseIP(host, true)
  if (ip === undefined && !isHostName(host)) {
    throw new NetAddressInvalidHostError(input, `${JSON.stringify(host)} is neither an IP address nor a host name`)
  }
  return { id, host, port, ip }
}
