import type { Duplex } from 'node:stream'
import type { NetAddress, NodeId, NodeInfo } from '@comet-p2p/types'
import type { UpgradedConnection } from './transport.js'

/** An upgraded connection of a {@link TcpTransport}. */
export class TcpConnection implements UpgradedConnection {
  #onQueuedClose: (() => void) | undefined

  constructor(
    readonly stream: Duplex,
    readonly nodeInfo: NodeInfo,
    readonly id: NodeId,
    readonly outbound: boolean,
    readonly socketAddr: NetAddress,
    readonly remoteIp: string,
    readonly remote: string,
    /** Identifies the connection's entry in the connection table. */
    readonly owner: object,
    /** Gives back the inbound handshake slot (idempotent; no-op for outbound). */
    readonly release: () => void
  ) {}

  /** While queued for `accept`, calls `onClose` if the connection closes. */
  watchWhileQueued(onClose: () => void): void {
    this.#onQueuedClose = onClose
    this.stream.once('close', onClose)
  }

  /** The connection leaves the accept queue: stop watching it and free its handshake slot. */
  leaveQueue(): void {
    if (this.#onQueuedClose !== undefined) this.stream.off('close', this.#onQueuedClose)
    this.#onQueuedClose = undefined
    this.release()
  }
}
