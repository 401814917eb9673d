import { isIP } from 'node:net'
import type { Transport } from '@comet-p2p/switch'
import { parseNetAddress, type HostLookup, type NetAddress, type NodeId } from '@comet-p2p/types'
import { parseListenAddress } from '../config/address.js'
import { ListenError } from './errors.js'

/**
 * The IP and port to listen on for `laddr` (`tcp://host:port`); a host name
 * is resolved first (the first address wins, as in the reference). Rejects
 * with a {@link ListenError} when the name does not resolve.
 */
export async function resolveListenAddress(
  laddr: string,
  id: NodeId,
  lookup: HostLookup | undefined,
  signal?: AbortSignal
): Promise<{ host: string; port: number }> {
  const { host, port } = parseListenAddress(laddr)
  if (host === '' || isIP(host) !== 0) return { host: host === '' ? '0.0.0.0' : host, port }
  try {
    const resolved = await parseNetAddress(`${id}@${host}:${port}`, { lookup, signal })
    return { host: resolved.ip, port }
  } catch (err) {
    throw new ListenError(laddr, err)
  }
}

/** Makes `transport` listen on `laddr`; every failure becomes a {@link ListenError}. */
export async function listenOn(transport: Transport, laddr: string, id: NodeId, lookup: HostLookup | undefined): Promise<NetAddress> {
  const address = await resolveListenAddress(laddr, id, lookup)
  try {
    return await transport.listen(address)
  } catch (err) {
    throw new ListenError(laddr, err)
  }
}

/**
 * Our external address (`external_address`, `[tcp://]host:port`) as a
 * `NetAddress` with our ID, resolving a host name; undefined when it is
 * empty or does not resolve (it is then only announced, not recorded).
 */
export async function externalNetAddress(external: string, id: NodeId, lookup: HostLookup | undefined): Promise<NetAddress | undefined> {
  if (external === '') return undefined
  const bare = external.replace(/^[a-z]+:\/\//, '')
  try {
    return await parseNetAddress(`${id}@${bare}`, { lookup })
  } catch {
    return undefined
  }
}
