import { UnknownChannelError, type MConnectionConfig } from '@comet-p2p/mconnection'
import type { Clock, CometError, Logger } from '@comet-p2p/types'
import type { SwitchConfig } from './config.js'
import { selfReportedAddress } from './dialing.js'
import { ReactorError, RejectedError, TransportClosedError } from './errors.js'
import { runFilters } from './filters.js'
import type { SwitchMetrics } from './metrics.js'
import type { Peer, PeerFilter } from './peer/peer.js'
import type { PeerSet } from './peer/peer-set.js'
import { SwitchPeer } from './peer/switch-peer.js'
import type { ReactorRegistry } from './reactors.js'
import type { PeerRejectedEvent, PeerRemovedEvent, SwitchEvents } from './switch-options.js'
import type { SwitchLike } from './switch-like.js'
import { TaskSet } from './tasks.js'
import type { Transport, UpgradedConnection } from './transport/transport.js'

/** What the peer lifecycle shares with the switch. */
export interface LifecycleDeps {
  switch: SwitchLike
  peers: PeerSet<SwitchPeer>
  reactors: ReactorRegistry
  transport: Transport
  config: Readonly<SwitchConfig>
  mconnection: Partial<MConnectionConfig>
  peerFilters: readonly PeerFilter[]
  metrics: SwitchMetrics
  logger: Logger
  clock: Clock
  stopSignal: AbortSignal
  isRunning(): boolean
  emit<K extends keyof SwitchEvents>(event: K, value: SwitchEvents[K]): void
  /** A peer was stopped for an error (the dialer redials persistent peers). */
  onPeerStopped(peer: SwitchPeer, reason: unknown): void
}

/**
 * Adding and removing peers: admission checks and peer filters, starting
 * the connection, telling the reactors, dispatching received messages,
 * and stopping peers (for an error, gracefully, or all at once).
 */
export class PeerLifecycle {
  readonly #d: LifecycleDeps
  readonly #tasks = new TaskSet()

  constructor(deps: LifecycleDeps) {
    this.#d = deps
  }

  /** Takes upgraded inbound connections from the transport until it closes. */
  async acceptLoop(): Promise<void> {
    const d = this.#d
    for (;;) {
      let conn: UpgradedConnection
      try {
        conn = await d.transport.accept({ signal: d.stopSignal })
      } catch (err) {
        if (!d.stopSignal.aborted && !(err instanceof TransportClosedError)) {
          d.logger.error('accepting failed; no more inbound peers will be added', { error: String(err) })
        }
        return
      }
      this.#tasks.track(
        this.addPeer(conn).catch((err: unknown) => {
          d.logger.info('inbound peer not added', { id: conn.id, error: String(err) })
        })
      )
    }
  }

  /**
   * Turns an upgraded connection into a running peer: admission checks
   * (switch running, inbound limit, duplicate ID, duplicate IP), peer
   * filters, the checks again, `initPeer`, start, then the peer set and
   * `addPeer`. On refusal the connection is cleaned up and the error
   * (a `RejectedError` for refusals) thrown.
   */
  async addPeer(conn: UpgradedConnection): Promise<SwitchPeer> {
    const d = this.#d
    let peer: SwitchPeer | undefined
    try {
      // Checked before the peer (and its connection state) is even built.
      this.#checkAdmission(conn)
      const candidate = this.#createPeer(conn)
      peer = candidate
      const filters = d.peerFilters.map((filter) => (signal: AbortSignal) => filter(d.peers, candidate, { signal }))
      const details = { id: conn.id, addr: conn.socketAddr, remote: conn.remote }
      await runFilters(filters, d.config.filterTimeoutMs, `peer ${conn.id}`, details, d.stopSignal)
      // Checked again: other peers may have been added while the filters ran.
      this.#checkAdmission(conn)
      for (const { name, reactor } of d.reactors.list()) {
        try {
          reactor.initPeer?.(peer)
        } catch (err) {
          throw new ReactorError(name, 'initPeer', err)
        }
      }
      peer.start()
      if (peer.failure !== undefined) throw peer.failure
      d.peers.add(peer)
    } catch (err) {
      peer?.destroy()
      d.transport.cleanup(conn)
      if (err instanceof RejectedError) {
        d.metrics.rejected(err.reason)
        this.#emitRejected({ error: err, direction: conn.outbound ? 'outbound' : 'inbound' })
      }
      throw err
    }
    d.metrics.peerAdded()
    d.logger.debug('peer added', { peer: peer.toString() })
    d.emit('peer:added', peer)
    for (const { name, reactor } of d.reactors.list()) {
      if (!peer.isRunning) break
      void this.#guard(peer, name, 'addPeer', () => reactor.addPeer(peer))
    }
    return peer
  }

  /** The reference `StopPeerForError`; the dialer then redials a persistent peer. */
  stopPeerForError(peer: Peer, reason: unknown): void {
    const p = this.#d.peers.get(peer.id)
    if (p === undefined || p !== peer || !p.isRunning) return
    this.#d.logger.info('stopping peer for error', { peer: p.toString(), error: describe(reason) })
    void this.#remove(p, reason, false)
    this.#d.onPeerStopped(p, reason)
  }

  /** Stops a peer after flushing what is queued for it. */
  stopPeerGracefully(peer: Peer): Promise<void> {
    const p = this.#d.peers.get(peer.id)
    if (p === undefined || p !== peer || !p.isRunning) return Promise.resolve()
    this.#d.logger.info('stopping peer gracefully', { peer: p.toString() })
    const closed = this.#remove(p, undefined, true)
    this.#tasks.track(closed)
    return closed
  }

  /** Stops every peer gracefully (switch stop). */
  async stopAll(): Promise<void> {
    await Promise.all(this.#d.peers.list().map((peer) => this.#remove(peer, undefined, true)))
  }

  /** Waits for every background task (inbound additions, graceful stops) to finish. */
  settle(): Promise<void> {
    return this.#tasks.settle()
  }

  /** Refreshes `peer_pending_send_bytes` (queued messages, as the reference). */
  reportPendingSends(): void {
    for (const peer of this.#d.peers.list()) {
      const queued = peer.status().channels.reduce((sum, channel) => sum + channel.sendQueueSize, 0)
      this.#d.metrics.pendingSend(peer.id, queued)
    }
  }

  #createPeer(conn: UpgradedConnection): SwitchPeer {
    const d = this.#d
    const persistAddr = conn.outbound ? conn.socketAddr : selfReportedAddress(conn.nodeInfo)
    const counted = (peer: SwitchPeer): boolean => d.peers.get(peer.id) === peer
    return new SwitchPeer({
      conn,
      channels: d.reactors.descriptors(),
      persistent: persistAddr !== undefined && d.switch.isPeerPersistent(persistAddr),
      unconditional: d.switch.isPeerUnconditional(conn.id),
      mconnection: d.mconnection,
      logger: d.logger,
      clock: d.clock,
      onReceive: (peer, channelId, message) => this.#dispatch(peer, channelId, message),
      onError: (peer, error) => this.#onConnectionError(peer, error),
      onPacketSent: (peer, channelId, bytes) => {
        if (counted(peer)) d.metrics.packetSent(peer.id, channelId, bytes)
      },
      onPacketReceived: (peer, channelId, bytes) => {
        if (counted(peer)) d.metrics.packetReceived(peer.id, channelId, bytes)
      }
    })
  }

  #checkAdmission(conn: UpgradedConnection): void {
    const d = this.#d
    const details = { id: conn.id, addr: conn.socketAddr, remote: conn.remote }
    if (!d.isRunning()) throw new RejectedError('switch_stopped', 'the switch is not running', details)
    if (!conn.outbound && !d.switch.isPeerUnconditional(conn.id)) {
      const inbound = d.switch.numPeers().inbound
      if (inbound >= d.config.maxNumInboundPeers) {
        throw new RejectedError('inbound_limit', `already ${inbound} inbound peers (max ${d.config.maxNumInboundPeers})`, details)
      }
    }
    if (d.peers.has(conn.id)) throw new RejectedError('duplicate', `peer ${conn.id} is already connected`, details)
    if (!d.config.allowDuplicateIp && d.peers.hasIp(conn.remoteIp)) {
      throw new RejectedError('duplicate_ip', `a peer from ${conn.remoteIp} is already connected`, details)
    }
  }

  /** Hands a message to the reactor of its channel; a failure stops the peer, never the connection's keepalive. */
  #dispatch(peer: SwitchPeer, channelId: number, message: Uint8Array): void | Promise<void> {
    const entry = this.#d.reactors.forChannel(channelId)
    if (entry === undefined) {
      this.stopPeerForError(peer, new UnknownChannelError(channelId))
      return
    }
    return this.#guard(peer, entry.name, 'receive', () => entry.reactor.receive({ channelId, peer, message }), channelId)
  }

  /** Runs a reactor callback; a throw or a rejection stops `peer` with a ReactorError. */
  #guard(peer: SwitchPeer, name: string, what: string, call: () => unknown, channelId?: number): void | Promise<void> {
    const fail = (err: unknown): void => this.stopPeerForError(peer, new ReactorError(name, what, err, channelId))
    let result: unknown
    try {
      result = call()
    } catch (err) {
      fail(err)
      return
    }
    if (isPromiseLike(result)) return Promise.resolve(result).then(() => undefined, fail)
  }

  #onConnectionError(peer: SwitchPeer, error: CometError): void {
    if (this.#d.peers.get(peer.id) === peer) this.stopPeerForError(peer, error)
    else peer.failure ??= error
  }

  /** The reference `stopAndRemovePeer`: close, tell the reactors, then leave the peer set. */
  #remove(peer: SwitchPeer, reason: unknown, graceful: boolean): Promise<void> {
    const d = this.#d
    let closed: Promise<void>
    if (graceful) {
      closed = peer.stop().then(() => d.transport.cleanup(peer.conn))
    } else {
      peer.destroy()
      d.transport.cleanup(peer.conn)
      closed = Promise.resolve()
    }
    for (const { name, reactor } of d.reactors.list()) {
      try {
        reactor.removePeer(peer, reason)
      } catch (err) {
        d.logger.error('reactor removePeer threw', { reactor: name, peer: peer.id, error: String(err) })
      }
    }
    d.peers.remove(peer)
    d.metrics.peerRemoved(peer.id)
    const event: PeerRemovedEvent = { peer, reason }
    d.emit('peer:removed', event)
    return closed
  }

  #emitRejected(event: PeerRejectedEvent): void {
    this.#d.logger.info('peer rejected', { direction: event.direction, reason: event.error.reason, error: event.error.message })
    this.#d.emit('peer:rejected', event)
  }
}

function describe(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason)
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}
