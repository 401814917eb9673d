/**
 * Syntax checks of the addresses in a configuration. Nothing is resolved
 * here: a host may be an IP literal or a plausible DNS name, and whether the
 * name exists is found out when it is dialed or listened on.
 */
import { isIP } from 'node:net'
import { InvalidArgumentError, isValidNodeId } from '@comet-p2p/types'

/** A host and TCP port to listen on, as `@comet-p2p/switch` transports take them. */
export interface ListenAddress {
  /** IP literal or host name (brackets of IPv6 removed); empty means every interface. */
  host: string
  port: number
}

/**
 * The reference `splitAndTrimEmpty(s, ",", " ")`: splits a comma-separated
 * list, trims each item and drops empty ones (`"a, ,b,"` gives `["a", "b"]`).
 */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** Go's `net.SplitHostPort`; a string is the reason it failed. */
export function splitHostPort(hostPort: string): { host: string; port: string } | string {
  const colon = hostPort.lastIndexOf(':')
  if (colon < 0) return 'missing port'
  let host: string
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']')
    if (end < 0) return "missing ']'"
    if (end + 1 === hostPort.length) return 'missing port'
    if (end + 1 !== colon) return hostPort[end + 1] === ':' ? 'too many colons' : 'missing port'
    host = hostPort.slice(1, end)
    if (host.includes('[') || hostPort.indexOf(']', end + 1) >= 0) return 'unexpected bracket'
  } else {
    host = hostPort.slice(0, colon)
    if (host.includes(':')) return 'too many colons (write IPv6 addresses as [addr]:port)'
    if (host.includes('[') || host.includes(']')) return 'unexpected bracket'
  }
  return { host, port: hostPort.slice(colon + 1) }
}

/** A decimal port 0–65535 (leading zeros allowed, as Go's `ParseUint`), or undefined. */
export function parsePortText(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined
  const port = Number(text.replace(/^0+(?=.)/, '').slice(0, 6))
  return port <= 0xffff ? port : undefined
}

/** Dot-separated DNS labels (letters, digits, `-`, `_`), not all digits, at most 253 characters. */
function isHostName(host: string): boolean {
  const name = host.endsWith('.') ? host.slice(0, -1) : host
  if (name.length === 0 || name.length > 253 || /^[0-9.]*$/.test(name)) return false
  return name.split('.').every((label) => /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(label))
}

/** Why `hostPort` is not `host:port`, or undefined. `allowEmptyHost` accepts `:port` (every interface). */
export function hostPortProblem(hostPort: string, allowEmptyHost = false): string | undefined {
  const split = splitHostPort(hostPort)
  if (typeof split === 'string') return `${split} in ${JSON.stringify(hostPort)}`
  if (split.host === '' && !allowEmptyHost) return `no host in ${JSON.stringify(hostPort)}`
  if (split.host !== '' && isIP(split.host) === 0 && !isHostName(split.host)) {
    return `${JSON.stringify(split.host)} is neither an IP address nor a host name`
  }
  if (parsePortText(split.port) === undefined) return `invalid port ${JSON.stringify(split.port)}: expected 0 to 65535`
  return undefined
}

/** Removes an optional `tcp://`; another scheme is a problem (only TCP is supported). */
function withoutTcpScheme(address: string): string | { problem: string } {
  const at = address.indexOf('://')
  if (at < 0) return address
  const scheme = address.slice(0, at)
  if (scheme !== 'tcp') return { problem: `unsupported scheme ${JSON.stringify(scheme)} (only tcp://)` }
  return address.slice(at + 3)
}

/** Why `address` is not `[tcp://]host:port`, or undefined. */
export function listenAddressProblem(address: string, allowEmptyHost = false): string | undefined {
  const bare = withoutTcpScheme(address)
  if (typeof bare !== 'string') return bare.problem
  return hostPortProblem(bare, allowEmptyHost)
}

/**
 * Splits a listen address such as `tcp://0.0.0.0:26656`, `[::]:26656` or
 * `:26660` (every interface) into host and port. Throws an
 * `InvalidArgumentError` when it is not `[tcp://]host:port`.
 */
export function parseListenAddress(address: string): ListenAddress {
  const problem = listenAddressProblem(address, true)
  const bare = withoutTcpScheme(address)
  const split = typeof bare === 'string' ? splitHostPort(bare) : undefined
  if (problem !== undefined || split === undefined || typeof split === 'string') {
    throw new InvalidArgumentError(`invalid listen address ${JSON.stringify(address)}: ${problem ?? 'malformed'}`)
  }
  return { host: split.host, port: parsePortText(split.port) ?? 0 }
}

/** Why `id` is not a node ID, or undefined. */
export function nodeIdProblem(id: string): string | undefined {
  if (isValidNodeId(id)) return undefined
  if (!/^[0-9a-fA-F]*$/.test(id)) return `node ID ${JSON.stringify(id)} is not hexadecimal`
  return `node ID ${JSON.stringify(id)} must be 40 hex characters, got ${id.length}`
}

/**
 * Why `address` is not a peer address `[scheme://]id@host:port`, or
 * undefined. Like the reference parser, any scheme prefix is ignored.
 */
export function peerAddressProblem(address: string): string | undefined {
  const schemeAt = address.indexOf('://')
  const bare = schemeAt < 0 ? address : address.slice(schemeAt + 3)
  const parts = bare.split('@')
  if (parts.length !== 2) return 'expected id@host:port'
  const [id = '', hostPort = ''] = parts
  return nodeIdProblem(id) ?? hostPortProblem(hostPort)
}
