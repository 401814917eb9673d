import { MConnection, type ChannelDescriptor, type ConnectionStatus, type MConnectionConfig } from '@comet-p2p/mconnection'
import type { AbortOptions, Clock, CometError, Logger, NetAddress, NodeId, NodeInfo } from '@comet-p2p/types'
import type { UpgradedConnection } from '../transport/transport.js'
import type { Peer } from './peer.js'

/** What a {@link SwitchPeer} is built from. */
export interface SwitchPeerInit {
  conn: UpgradedConnection
  /** Every channel of every reactor: the MConnection's channels. */
  channels: readonly ChannelDescriptor[]
  persistent: boolean
  unconditional: boolean
  mconnection: Partial<MConnectionConfig>
  logger: Logger
  clock: Clock
  /** A complete message arrived; the next one on the channel waits for the returned promise. */
  onReceive(peer: SwitchPeer, channelId: number, message: Uint8Array): void | Promise<void>
  /** The connection failed (reported once, not after stop/destroy). */
  onError(peer: SwitchPeer, error: CometError): void
  onPacketSent(peer: SwitchPeer, channelId: number, bytes: number): void
  onPacketReceived(peer: SwitchPeer, channelId: number, bytes: number): void
}

type PeerState = 'new' | 'running' | 'stopped'

/** The {@link Peer} of the switch: an upgraded connection driven by an MConnection. */
export class SwitchPeer implements Peer {
  readonly id: NodeId
  readonly nodeInfo: NodeInfo
  readonly isOutbound: boolean
  readonly isPersistent: boolean
  readonly isUnconditional: boolean
  readonly socketAddr: NetAddress
  readonly remoteIp: string
  readonly conn: UpgradedConnection
  readonly logger: Logger
  /** A connection error that struck before the peer joined the peer set. */
  failure: CometError | undefined
  readonly #mconn: MConnection
  readonly #channels: ReadonlySet<number>
  readonly #data = new Map<string, unknown>()
  #state: PeerState = 'new'

  constructor(init: SwitchPeerInit) {
    const conn = init.conn
    this.conn = conn
    this.id = conn.id
    this.nodeInfo = conn.nodeInfo
    this.isOutbound = conn.outbound
    this.isPersistent = init.persistent
    this.isUnconditional = init.unconditional
    this.socketAddr = conn.socketAddr
    this.remoteIp = conn.remoteIp
    this.logger = init.logger.child({ peer: this.toString() })
    this.#channels = new Set(conn.nodeInfo.channels)
    this.#mconn = new MConnection(conn.stream, init.channels, {
      onReceive: (channelId, message) => init.onReceive(this, channelId, message),
      onError: (error) => init.onError(this, error),
      config: init.mconnection,
      logger: this.logger,
      clock: init.clock,
      onPacketSent: (channelId, bytes) => init.onPacketSent(this, channelId, bytes),
      onPacketReceived: (channelId, bytes) => init.onPacketReceived(this, channelId, bytes)
    })
  }

  get isRunning(): boolean {
    return this.#state === 'running'
  }

  /** Starts the connection (reading, sending, pinging). */
  start(): void {
    if (this.#state !== 'new') return
    this.#state = 'running'
    this.#mconn.start()
  }

  /** Stops gracefully: what is queued is sent and flushed first (bounded by the connection's stop timeout). */
  stop(): Promise<void> {
    this.#state = 'stopped'
    return this.#mconn.stop()
  }

  /** Closes at once, dropping what is queued. */
  destroy(): void {
    this.#state = 'stopped'
    this.#mconn.destroy()
  }

  send(channelId: number, message: Uint8Array, options?: AbortOptions): Promise<boolean> {
    if (!this.isRunning || !this.hasChannel(channelId)) return Promise.resolve(false)
    return this.#mconn.send(channelId, message, options)
  }

  trySend(channelId: number, message: Uint8Array): boolean {
    if (!this.isRunning || !this.hasChannel(channelId)) return false
    return this.#mconn.trySend(channelId, message)
  }

  canSend(channelId: number): boolean {
    return this.isRunning && this.#mconn.canSend(channelId)
  }

  hasChannel(channelId: number): boolean {
    return this.#channels.has(channelId)
  }

  get(key: string): unknown {
    return this.#data.get(key)
  }

  set(key: string, value: unknown): void {
    this.#data.set(key, value)
  }

  status(): ConnectionStatus {
    return this.#mconn.status()
  }

  toString(): string {
    return `Peer{${this.id} ${this.socketAddr.dialString()} ${this.isOutbound ? 'out' : 'in'}}`
  }
}
