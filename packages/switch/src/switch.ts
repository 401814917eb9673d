import { setMaxListeners } from 'node:events'
import {
  InvalidArgumentError,
  noopMetrics,
  silentLogger,
  systemClock,
  type Logger,
  type NetAddress,
  type NodeId,
  type NodeIdentity,
  type NodeInfo
} from '@comet-p2p/types'
import { mconnectionConfigOf, resolveSwitchConfig, type SwitchConfig } from './config.js'
import { SwitchStateError, type RejectedError } from './errors.js'
import { TypedEmitter } from './events.js'
import { SwitchMetrics } from './metrics.js'
import { PeerLifecycle } from './peer-lifecycle.js'
import type { Peer, PeerSetLike } from './peer/peer.js'
import { PeerSet } from './peer/peer-set.js'
import type { SwitchPeer } from './peer/switch-peer.js'
import type { Reactor } from './reactor.js'
import { assertOurNodeInfo, fillListenAddr } from './our-node-info.js'
import { ReactorRegistry } from './reactors.js'
import { Dialer } from './dialer.js'
import type { BroadcastResult, DialPeerOptions, PeerCounts, SwitchAddrBook, SwitchLike } from './switch-like.js'
import type { SwitchEvents, SwitchNodeInfo, SwitchOptions } from './switch-options.js'
import { TcpTransport } from './transport/tcp-transport.js'
import type { Transport } from './transport/transport.js'

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped'

/**
 * The switch (the reference `p2p.Switch`): accepts and dials peers through
 * its transport, runs every peer's MConnection over the channels of its
 * reactors, hands each reactor the messages of its channels, and keeps
 * persistent peers connected. Reactors see it as a {@link SwitchLike}.
 *
 * Lifecycle: `addReactor` (before start), `transport.listen()`, `start()`,
 * ..., `stop()`, which releases every socket and timer.
 */
export class Switch extends TypedEmitter<SwitchEvents> implements SwitchLike {
  readonly logger: Logger
  readonly config: Readonly<SwitchConfig>
  readonly transport: Transport
  readonly #identity: NodeIdentity
  readonly #baseInfo: SwitchNodeInfo
  readonly #reactors = new ReactorRegistry()
  readonly #peers = new PeerSet<SwitchPeer>()
  readonly #metrics: SwitchMetrics
  readonly #lifecycle: PeerLifecycle
  readonly #dialer: Dialer
  readonly #stopController = new AbortController()
  readonly #addrBook: SwitchAddrBook | undefined
  readonly #unconditional: ReadonlySet<NodeId>
  readonly #private: ReadonlySet<NodeId>
  #state: State = 'idle'
  #listenAddr: string
  #acceptLoop: Promise<void> | undefined
  #metricsTimer: ReturnType<typeof setInterval> | undefined
  #stopped: Promise<void> | undefined

  constructor(options: SwitchOptions) {
    const logger = options.logger ?? silentLogger
    super(logger)
    this.logger = logger
    this.config = Object.freeze(resolveSwitchConfig(options.config))
    this.#identity = options.nodeKey
    if (options.nodeInfo.id !== undefined && options.nodeInfo.id !== options.nodeKey.id) {
      throw new InvalidArgumentError(`nodeInfo.id ${options.nodeInfo.id} is not the node key's ID ${options.nodeKey.id}`)
    }
    this.#baseInfo = { ...options.nodeInfo }
    this.#listenAddr = options.nodeInfo.listenAddr
    this.#addrBook = options.addrBook
    this.#unconditional = new Set(this.config.unconditionalPeerIds)
    this.#private = new Set(this.config.privatePeerIds)
    // Every dial, delay and filter run in progress listens to this signal.
    setMaxListeners(0, this.#stopController.signal)
    const metrics = options.metrics ?? noopMetrics
    this.#metrics = new SwitchMetrics(metrics)
    this.transport =
      options.transport ??
      new TcpTransport({
        nodeKey: options.nodeKey,
        handshakeTimeoutMs: this.config.handshakeTimeoutMs,
        dialTimeoutMs: this.config.dialTimeoutMs,
        filterTimeoutMs: this.config.filterTimeoutMs,
        // As the reference node sets it up (0, no limit, when both are 0).
        maxIncomingConnections: this.config.maxNumInboundPeers + this.config.unconditionalPeerIds.length,
        maxConcurrentHandshakes: this.config.maxConcurrentHandshakes,
        maxHandshakesPerIp: this.config.maxHandshakesPerIp,
        maxConnectionsPerIp: this.config.maxConnectionsPerIp,
        secretConnection: { maxHandshakeMessageSize: this.config.maxHandshakeMessageSize },
        connFilters: options.connFilters,
        logger: logger.child({ module: 'transport' }),
        metrics
      })
    const clock = options.clock ?? systemClock
    const random = options.random ?? Math.random
    this.#lifecycle = new PeerLifecycle({
      switch: this,
      peers: this.#peers,
      reactors: this.#reactors,
      transport: this.transport,
      config: this.config,
      mconnection: mconnectionConfigOf(this.config),
      peerFilters: [...(options.peerFilters ?? [])],
      metrics: this.#metrics,
      logger,
      clock,
      stopSignal: this.#stopController.signal,
      isRunning: () => this.#state === 'running',
      emit: (event, value) => this.#emitEvent(event, value),
      onPeerStopped: (peer, reason) => this.#dialer.peerStopped(peer, reason)
    })
    this.#dialer = new Dialer({
      switch: this,
      ourId: options.nodeKey.id,
      transport: this.transport,
      lifecycle: this.#lifecycle,
      config: this.config,
      addrBook: options.addrBook,
      logger,
      random,
      lookup: options.lookup,
      stopSignal: this.#stopController.signal,
      isRunning: () => this.#state === 'running',
      emit: (event, value) => this.#emitEvent(event, value)
    })
    this.transport.setNodeInfo(this.nodeInfo())
  }

  /** True between `start()` and `stop()`. */
  get isRunning(): boolean {
    return this.#state === 'running'
  }

  // ---- reactors ----------------------------------------------------------

  /**
   * Registers a reactor under `name` (before `start`) and hands it the
   * switch. Its channels join every peer's connection and our NodeInfo.
   * Throws `DuplicateReactorError`, `ChannelConflictError` or `SwitchStateError`.
   */
  addReactor<R extends Reactor>(name: string, reactor: R): R {
    this.#assertIdle('add a reactor')
    this.#reactors.add(name, reactor)
    reactor.setSwitch(this)
    this.transport.setNodeInfo(this.nodeInfo())
    return reactor
  }

  /** Unregisters a reactor (before `start`), freeing its channels; returns it. */
  removeReactor(name: string): Reactor | undefined {
    this.#assertIdle('remove a reactor')
    const reactor = this.#reactors.remove(name)
    reactor?.setSwitch(undefined)
    this.transport.setNodeInfo(this.nodeInfo())
    return reactor
  }

  /** The reactor registered under `name`. */
  reactor(name: string): Reactor | undefined {
    return this.#reactors.get(name)
  }

  /** The registered reactors by name, in registration order. */
  reactors(): Map<string, Reactor> {
    return new Map(this.#reactors.list().map((entry) => [entry.name, entry.reactor]))
  }

  // ---- lifecycle ---------------------------------------------------------

  /**
   * Starts the reactors, begins accepting peers, and dials the persistent
   * peers. Rejects (leaving the switch idle) if a persistent peer address is
   * malformed, our NodeInfo is invalid, or a reactor fails to start.
   */
  async start(): Promise<void> {
    this.#assertIdle('start')
    this.#state = 'starting'
    const started: Reactor[] = []
    try {
      await this.#dialer.loadPersistentPeers()
      this.#listenAddr = fillListenAddr(this.#listenAddr, this.transport.netAddress())
      const info = this.nodeInfo()
      assertOurNodeInfo(info)
      this.transport.setNodeInfo(info)
      if (this.config.privatePeerIds.length > 0) this.#addrBook?.addPrivateIDs(this.config.privatePeerIds)
      for (const { reactor } of this.#reactors.list()) {
        await reactor.start()
        started.push(reactor)
      }
      if (this.#state !== 'starting') throw new SwitchStateError('the switch was stopped while starting')
    } catch (err) {
      for (const reactor of started.reverse()) await this.#stopReactor(reactor)
      if (this.#state === 'starting') this.#state = 'idle'
      throw err
    }
    this.#state = 'running'
    this.transport.on('rejected', this.#onTransportRejected)
    this.#acceptLoop = this.#lifecycle.acceptLoop()
    this.#metricsTimer = setInterval(() => this.#lifecycle.reportPendingSends(), this.config.metricsIntervalMs)
    this.#dialer.dialPersistentPeers()
    this.logger.info('switch started', { id: this.#identity.id, addr: this.netAddress()?.toString() })
  }

  /**
   * Stops accepting, closes the transport, cancels every dial, delay and
   * reconnect loop, stops every peer (flushing what is queued) and every
   * reactor. Resolves when everything is released. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop()
    return this.#stopped
  }

  async #stop(): Promise<void> {
    const wasRunning = this.#state === 'running'
    this.#state = 'stopping'
    this.#stopController.abort(new SwitchStateError('the switch is stopping'))
    if (this.#metricsTimer !== undefined) clearInterval(this.#metricsTimer)
    this.#metricsTimer = undefined
    this.transport.off('rejected', this.#onTransportRejected)
    await this.transport.close()
    await this.#acceptLoop
    await this.#lifecycle.stopAll()
    await this.#dialer.settle()
    await this.#lifecycle.settle()
    if (wasRunning) for (const { reactor } of this.#reactors.list()) await this.#stopReactor(reactor)
    this.#state = 'stopped'
    this.logger.info('switch stopped')
  }

  // ---- SwitchLike --------------------------------------------------------

  peers(): PeerSetLike {
    return this.#peers
  }

  numPeers(): PeerCounts {
    let outbound = 0
    let inbound = 0
    for (const peer of this.#peers.list()) {
      if (this.isPeerUnconditional(peer.id)) continue
      if (peer.isOutbound) outbound++
      else inbound++
    }
    return { outbound, inbound, dialing: this.#dialer.dialingCount }
  }

  maxNumOutboundPeers(): number {
    return this.config.maxNumOutboundPeers
  }

  isDialingOrExistingAddress(addr: NetAddress): boolean {
    return this.#dialer.isDialing(addr.id) || this.#peers.has(addr.id) || (!this.config.allowDuplicateIp && this.#peers.hasIp(addr.ip))
  }

  isPeerPersistent(addr: NetAddress): boolean {
    return this.#dialer.isPersistent(addr)
  }

  isPeerUnconditional(id: NodeId): boolean {
    return this.#unconditional.has(id)
  }

  /** Whether `id` is one of the private peer IDs (never reported to the address book). */
  isPeerPrivate(id: NodeId): boolean {
    return this.#private.has(id)
  }

  dialPeerWithAddress(addr: NetAddress, options: DialPeerOptions = {}): Promise<Peer> {
    return this.#dialer.dialPeerWithAddress(addr, options)
  }

  dialPeersAsync(addrs: readonly string[]): Promise<void> {
    return this.#dialer.dialPeersAsync(addrs)
  }

  stopPeerForError(peer: Peer, reason: unknown): void {
    this.#lifecycle.stopPeerForError(peer, reason)
  }

  stopPeerGracefully(peer: Peer): Promise<void> {
    return this.#lifecycle.stopPeerGracefully(peer)
  }

  markPeerAsGood(peer: Peer): void {
    const book = this.#addrBook
    if (book === undefined || this.isPeerPrivate(peer.id)) return
    try {
      if (book.hasAddress(peer.socketAddr)) book.markGood(peer.id)
    } catch (err) {
      this.logger.error('address book failed to mark a peer good', { peer: peer.id, error: String(err) })
    }
  }

  async broadcast(channelId: number, message: Uint8Array): Promise<BroadcastResult[]> {
    return Promise.all(
      this.#peers.list().map(async (peer) => ({ peer, ok: await peer.send(channelId, message).catch(() => false) }))
    )
  }

  netAddress(): NetAddress | undefined {
    return this.transport.netAddress()
  }

  nodeInfo(): NodeInfo {
    return {
      ...this.#baseInfo,
      id: this.#identity.id,
      listenAddr: this.#listenAddr,
      channels: this.#reactors.channelIds()
    }
  }

  // ---- internals ---------------------------------------------------------

  #assertIdle(what: string): void {
    if (this.#state !== 'idle') throw new SwitchStateError(`cannot ${what}: the switch is ${this.#state}`)
  }

  async #stopReactor(reactor: Reactor): Promise<void> {
    try {
      await reactor.stop()
    } catch (err) {
      this.logger.error('reactor failed to stop', { error: String(err) })
    }
  }

  readonly #onTransportRejected = (error: RejectedError): void => {
    this.logger.info('inbound connection rejected', { reason: error.reason, remote: error.remote, error: error.message })
    if (error.reason === 'self' && error.addr !== undefined) this.#dialer.rememberSelf(error.addr)
    this.#emitEvent('peer:rejected', { error, direction: 'inbound' })
  }

  #emitEvent<K extends keyof SwitchEvents>(event: K, value: SwitchEvents[K]): void {
    this.emit(event, value)
  }
}
