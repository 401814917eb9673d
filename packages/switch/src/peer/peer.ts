import type { ConnectionStatus } from '@comet-p2p/mconnection'
import type { AbortOptions, NetAddress, NodeId, NodeInfo } from '@comet-p2p/types'

/**
 * A connected peer, as reactors see it. Send with {@link Peer.send} or
 * {@link Peer.trySend}; to disconnect, ask the switch
 * (`stopPeerForError`, `stopPeerGracefully`).
 */
export interface Peer {
  /** The peer's authenticated node ID. */
  readonly id: NodeId
  /** The NodeInfo the peer sent in the handshake (validated, compatible). */
  readonly nodeInfo: NodeInfo
  /** True when we dialed the peer. */
  readonly isOutbound: boolean
  /** True when we redial the peer after an error (it is one of the persistent peers). */
  readonly isPersistent: boolean
  /** True when the peer is one of the unconditional peer IDs (exempt from peer limits). */
  readonly isUnconditional: boolean
  /**
   * The address we dialed (outbound) or `id@remote-ip:port` of the socket
   * (inbound): not the self-reported listen address.
   */
  readonly socketAddr: NetAddress
  /** The remote IP of the connection. */
  readonly remoteIp: string
  /** True from the moment the peer is started until it stops. */
  readonly isRunning: boolean
  /**
   * Queues `message` on a channel, waiting (up to the connection's send
   * timeout) for room. Resolves false when the peer is not running, did not
   * announce the channel, or the queue stayed full.
   */
  send(channelId: number, message: Uint8Array, options?: AbortOptions): Promise<boolean>
  /** Queues `message` only if there is room right now; false otherwise (or not running / channel unknown). */
  trySend(channelId: number, message: Uint8Array): boolean
  /** True if `trySend` on the channel would succeed now. */
  canSend(channelId: number): boolean
  /** True if the peer announced the channel in its NodeInfo. */
  hasChannel(channelId: number): boolean
  /** A value reactors attached to the peer with {@link Peer.set}. */
  get(key: string): unknown
  /** Attaches a value to the peer (e.g. a reactor's per-peer state). */
  set(key: string, value: unknown): void
  /** Traffic statistics of the connection. */
  status(): ConnectionStatus
}

/** The read-only view of the connected peers that reactors and filters get (the reference `IPeerSet`). */
export interface PeerSetLike {
  /** Whether a peer with this ID is connected. */
  has(id: NodeId): boolean
  /** Whether a connected peer has this remote IP (as `NetAddress.ip` prints it). */
  hasIp(ip: string): boolean
  /** The peer with this ID, if connected. */
  get(id: NodeId): Peer | undefined
  /** The connected peers, in the order they were added (a snapshot). */
  list(): Peer[]
  /** Number of connected peers. */
  readonly size: number
}

/**
 * A peer filter, run (with the others, concurrently) on every upgraded
 * connection before it becomes a peer: throw or reject to refuse it. The
 * peer is not started yet. `signal` fires when the filter time limit passes.
 */
export type PeerFilter = (peers: PeerSetLike, peer: Peer, options: { signal: AbortSignal }) => void | Promise<void>
