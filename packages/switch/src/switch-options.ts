import type { HostLookup, Clock, Logger, MetricsRegistry, NodeId, NodeIdentity, NodeInfo } from '@comet-p2p/types'
import type { SwitchConfigInput } from './config.js'
import type { RejectedError } from './errors.js'
import type { Peer, PeerFilter } from './peer/peer.js'
import type { SwitchAddrBook } from './switch-like.js'
import type { ConnFilter, Transport } from './transport/transport.js'

/** Our NodeInfo as given to the switch: the channels come from the reactors, the ID from the node key. */
export type SwitchNodeInfo = Omit<NodeInfo, 'id' | 'channels'> & { id?: NodeId | undefined }

/** Options of the `Switch`. */
export interface SwitchOptions {
  /** Our identity. */
  nodeKey: NodeIdentity
  /** Our NodeInfo without channels (filled from the reactors). An empty `listenAddr`, or one with port 0, is replaced on start by the address the transport listens on. */
  nodeInfo: SwitchNodeInfo
  /** The transport; by default a `TcpTransport` built from `nodeKey`, `config` and `connFilters`. */
  transport?: Transport | undefined
  /** Settings; see {@link SwitchConfig} for names and defaults. */
  config?: SwitchConfigInput | undefined
  /** The address book dialed and self addresses are reported to, if any. */
  addrBook?: SwitchAddrBook | undefined
  /** Peer filters (see {@link PeerFilter}); the duplicate-IP rule of `allowDuplicateIp` is built in. */
  peerFilters?: readonly PeerFilter[] | undefined
  /** Connection filters of the transport the switch creates (ignored with `transport`). */
  connFilters?: readonly ConnFilter[] | undefined
  logger?: Logger | undefined
  metrics?: MetricsRegistry | undefined
  clock?: Clock | undefined
  /** Source of randomness in `[0, 1)` for dial order and delays (default `Math.random`). */
  random?: (() => number) | undefined
  /** Resolver for host names in persistent peers and `dialPeersAsync` (default: the system's). */
  lookup?: HostLookup | undefined
}

/** A peer left: why (`reason` is undefined for a graceful stop). */
export interface PeerRemovedEvent {
  peer: Peer
  reason: unknown
}

/** A connection was refused: by the transport (inbound) or by the switch. */
export interface PeerRejectedEvent {
  error: RejectedError
  direction: 'inbound' | 'outbound'
}

/** Events of a `Switch`. */
export interface SwitchEvents {
  'peer:added': Peer
  'peer:removed': PeerRemovedEvent
  'peer:rejected': PeerRejectedEvent
}
