import type { AbortOptions, Logger, NetAddress, NodeId, NodeInfo } from '@comet-p2p/types'
import type { Peer, PeerSetLike } from './peer/peer.js'

/** Peer counts, as the reference `NumPeers`: unconditional peers are not counted. */
export interface PeerCounts {
  outbound: number
  inbound: number
  /** Dials in progress. */
  dialing: number
}

/** The outcome of sending a broadcast message to one peer. */
export interface BroadcastResult {
  peer: Peer
  /** True when the message was queued for the peer. */
  ok: boolean
}

/** Options of {@link SwitchLike.dialPeerWithAddress}. */
export type DialPeerOptions = AbortOptions

/**
 * What a reactor may use of the switch (everything the reference PEX
 * reactor calls), so reactors depend on this interface rather than on the
 * `Switch` class.
 */
export interface SwitchLike {
  /** The switch's logger. */
  readonly logger: Logger
  /** True between `start()` and `stop()`. */
  readonly isRunning: boolean
  /** The connected peers. */
  peers(): PeerSetLike
  /** Connected (not unconditional) outbound and inbound peers, and dials in progress. */
  numPeers(): PeerCounts
  /** The configured `maxNumOutboundPeers`. */
  maxNumOutboundPeers(): number
  /** Whether we are dialing `addr.id`, have a peer with that ID, or (unless `allowDuplicateIp`) a peer with that IP. */
  isDialingOrExistingAddress(addr: NetAddress): boolean
  /** Whether `addr` is one of the persistent peers. */
  isPeerPersistent(addr: NetAddress): boolean
  /** Whether `id` is one of the unconditional peer IDs. */
  isPeerUnconditional(id: NodeId): boolean
  /**
   * Dials `addr`, upgrades the connection and adds the peer. Rejects with
   * `AlreadyDialingOrConnectedError`, `DialError`, `RejectedError` (e.g.
   * `self`), `SwitchStateError` or `AbortError`.
   */
  dialPeerWithAddress(addr: NetAddress, options?: DialPeerOptions): Promise<Peer>
  /**
   * Parses `id@host:port` addresses (host names are resolved; lookup
   * failures are logged and skipped), adds them to the address book, and
   * dials them in random order, each after a random delay. Resolves once the
   * dials are scheduled; rejects, dialing nothing, if an address is malformed.
   */
  dialPeersAsync(addrs: readonly string[]): Promise<void>
  /** Disconnects a peer for `reason` (redialing it if persistent). A no-op for a peer that is not running. */
  stopPeerForError(peer: Peer, reason: unknown): void
  /** Disconnects a peer after flushing what is queued for it. */
  stopPeerGracefully(peer: Peer): Promise<void>
  /** The peer did something useful: mark it good in the address book. */
  markPeerAsGood(peer: Peer): void
  /** Sends `message` on a channel to every peer (waiting for queue room as `peer.send`). */
  broadcast(channelId: number, message: Uint8Array): Promise<BroadcastResult[]>
  /** The address we listen on, with our ID; undefined before listening. */
  netAddress(): NetAddress | undefined
  /** Our NodeInfo, channels included. */
  nodeInfo(): NodeInfo
}

/**
 * The address book as the switch uses it (the reference `AddrBook`
 * interface). `@comet-p2p/addrbook` implements a superset; a fake will do in
 * tests. `addAddress` may throw to refuse an address (the switch logs it).
 */
export interface SwitchAddrBook {
  addAddress(addr: NetAddress, src: NetAddress): void
  addOurAddress(addr: NetAddress): void
  ourAddress(addr: NetAddress): boolean
  markGood(id: NodeId): void
  removeAddress(addr: NetAddress): void
  hasAddress(addr: NetAddress): boolean
  addPrivateIDs(ids: Iterable<string>): void
  save(): void | Promise<void>
}
