import { NetAddress } from '@comet-p2p/types'
import type { Peer } from '@comet-p2p/switch'

/**
 * The address a peer says it listens on: its node ID with the listen address
 * of its NodeInfo (any `scheme://` dropped), as the reference
 * `NodeInfo.NetAddress()`. Unlike the reference no host name is resolved, so
 * a peer cannot make us query DNS: a listen address that is not an IP
 * literal gives `undefined`.
 */
export function selfReportedAddress(peer: Peer): NetAddress | undefined {
  const listen = peer.nodeInfo.listenAddr
  const scheme = listen.indexOf('://')
  const hostPort = scheme >= 0 ? listen.slice(scheme + 3) : listen
  try {
    return NetAddress.fromString(`${peer.id}@${hostPort}`)
  } catch {
    return undefined
  }
}
