import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { AbortOptions, NetAddress, NodeId, NodeInfo } from '@comet-p2p/types'
import type { RejectedError } from '../errors.js'
import type { ConnSetLike } from './conn-set.js'

/** Where to listen: an IP literal (e.g. `0.0.0.0`, `::`, `127.0.0.1`) and a port (0 picks a free one). */
export interface ListenAddress {
  host: string
  port: number
}

/**
 * A connection the transport upgraded: authenticated, encrypted, and whose
 * peer sent a valid, compatible NodeInfo. Hand it to a peer (the switch does)
 * or give it back with `Transport.cleanup`.
 */
export interface UpgradedConnection {
  /** The encrypted stream (a `SecretConnection`), paused, ready for an MConnection. */
  readonly stream: Duplex
  /** The peer's NodeInfo, validated and checked against its key. */
  readonly nodeInfo: NodeInfo
  /** The peer's authenticated node ID. */
  readonly id: NodeId
  /** True when we dialed it. */
  readonly outbound: boolean
  /**
   * The address dialed (outbound) or the remote `ip:port` of the socket with
   * the peer's ID (inbound), as the reference's `SocketAddr`.
   */
  readonly socketAddr: NetAddress
  /** The remote IP of the socket, as `NetAddress.ip` prints it. */
  readonly remoteIp: string
  /** The remote `ip:port` of the socket (IPv6 in brackets): its key in the connection table. */
  readonly remote: string
}

/**
 * A connection filter, run (with the others, concurrently) on every new TCP
 * connection, inbound or outbound, before its upgrade: throw (or reject) to
 * refuse it. `ips` are the remote IPs (the remote address is an IP literal,
 * so exactly one). `signal` fires when the filter time limit passes.
 */
export type ConnFilter = (
  connections: ConnSetLike,
  socket: Socket,
  ips: readonly string[],
  options: { signal: AbortSignal }
) => void | Promise<void>

/** Events a transport reports. */
export interface TransportEvents {
  /** A connection was refused (inbound or outbound); its socket is already closed. */
  rejected: RejectedError
}

/**
 * What the switch needs from a transport (the reference `Transport` plus its
 * lifecycle): it listens, accepts and dials connections and upgrades them
 * to {@link UpgradedConnection}s. `TcpTransport` is the implementation.
 */
export interface Transport {
  /** Starts listening; resolves with the address actually bound (port 0 resolved), with our node ID. */
  listen(addr: NetAddress | ListenAddress): Promise<NetAddress>
  /**
   * The next upgraded inbound connection. Rejected connections are not
   * returned here; they are reported through the `rejected` event. Rejects
   * with `TransportClosedError` once closed, `AbortError` when the signal fires.
   */
  accept(options?: AbortOptions): Promise<UpgradedConnection>
  /** Dials `addr` and upgrades the connection; rejects with `DialError` or `RejectedError`. */
  dial(addr: NetAddress, options?: AbortOptions): Promise<UpgradedConnection>
  /** Removes a connection from the connection table and closes it. Idempotent. */
  cleanup(conn: UpgradedConnection): void
  /** Stops listening, aborts every upgrade and dial in progress. Established connections are left alone. Idempotent. */
  close(): Promise<void>
  /** The address we listen on, with our node ID; undefined before `listen`. */
  netAddress(): NetAddress | undefined
  /** The NodeInfo we send in the handshake (the switch sets it, with its reactors' channels). */
  setNodeInfo(nodeInfo: NodeInfo): void
  /** Subscribes to a transport event. */
  on<K extends keyof TransportEvents>(event: K, listener: (value: TransportEvents[K]) => void): unknown
  /** Unsubscribes. */
  off<K extends keyof TransportEvents>(event: K, listener: (value: TransportEvents[K]) => void): unknown
}
