import type { AddrBook } from '@comet-p2p/addrbook'
import type { PexReactor } from '@comet-p2p/pex'
import type { Peer, Reactor, Switch, SwitchEvents } from '@comet-p2p/switch'
import type {
  NetAddress} from '@comet-p2p/types';
import {
  NodeKey,
  parseNetAddress,
  silentLogger,
  type AbortOptions,
  type HostLookup,
  type Logger,
  type MetricsRegistry,
  type NodeId,
  type NodeIdentity,
  type NodeInfo
} from '@comet-p2p/types'
import { serveMetrics, type MetricsServer } from '../metrics/server.js'
import { createComponents, isMetricsSource, type ResolvedNodeConfig } from './components.js'
import { NodeStateError } from './errors.js'
import { externalNetAddress, listenOn } from './listen.js'
import type { NodeOptions } from './options.js'

/** Where a node is in its life: created, starting, running, stopping, stopped (for good). */
export type NodeState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped'

/** Events of a node (those of its switch). */
export type NodeEvents = SwitchEvents

/**
 * A CometBFT p2p node: transport, switch, address book, PEX (optional) and
 * custom reactors, configured like the reference `[p2p]` section. Create it
 * with {@link createNode} or `createNodeFromHome`, then `start()` and
 * `stop()`; a node runs once.
 */
export class P2PNode {
  /** The configuration in force (validated; `chainId` set). */
  readonly config: Readonly<ResolvedNodeConfig>
  /** Our identity. */
  readonly nodeKey: NodeIdentity
  /** Our node ID. */
  readonly id: NodeId
  /** The switch: peers, reactors, dialing. */
  readonly switch: Switch
  /** The address book (in `p2p.addrBookFile` under the home, or in memory). */
  readonly addrBook: AddrBook
  /** The PEX reactor, when `p2p.pex` is on. */
  readonly pex: PexReactor | undefined
  /** The registry metrics are reported to. */
  readonly metrics: MetricsRegistry
  /** The node's logger (`module=node`). */
  readonly logger: Logger
  readonly #reactors: ReadonlyMap<string, Reactor>
  readonly #lookup: HostLookup | undefined
  #state: NodeState = 'idle'
  #starting: Promise<void> | undefined
  #stopping: Promise<void> | undefined
  #bookStarted = false
  #metricsServer: MetricsServer | undefined

  /** Use {@link createNode}. */
  constructor(config: ResolvedNodeConfig, options: NodeOptions) {
    this.config = config
    this.nodeKey = options.nodeKey ?? NodeKey.generate()
    this.id = this.nodeKey.id
    const logger = options.logger ?? silentLogger
    this.logger = logger.child({ module: 'node' })
    this.#lookup = options.lookup
    const parts = createComponents(config, this.nodeKey, options, logger)
    this.switch = parts.switch
    this.addrBook = parts.addrBook
    this.pex = parts.pex
    this.metrics = parts.metrics
    const reactors = new Map<string, Reactor>(Object.entries(options.reactors ?? {}))
    if (parts.pex !== undefined) reactors.set('PEX', parts.pex)
    this.#reactors = reactors
  }

  /** The node's state. */
  get state(): NodeState {
    return this.#state
  }

  /** True between a successful `start()` and `stop()`. */
  get isRunning(): boolean {
    return this.#state === 'running'
  }

  /** `http://host:port/metrics` while the Prometheus endpoint is served. */
  get metricsUrl(): string | undefined {
    return this.#metricsServer?.url
  }

  /**
   * Loads the address book, serves metrics (when `instrumentation.prometheus`
   * is on), listens on `p2p.laddr` (host names resolved; port 0 picks a free
   * port) and starts the switch, which starts the reactors and dials the
   * persistent peers. On failure everything started is stopped again and
   * the node is stopped for good. Rejects with a `ListenError`, an
   * `AddrBookFileError`, a `MetricsListenError`, a PEX start error such as
   * `InvalidSeedError`, or `NodeStateError` when not idle.
   */
  start(): Promise<void> {
    if (this.#state !== 'idle') return Promise.reject(new NodeStateError(`cannot start a node that is ${this.#state}`))
    this.#state = 'starting'
    this.#starting = this.#start()
    return this.#starting
  }

  async #start(): Promise<void> {
    try {
      await this.addrBook.start()
      this.#bookStarted = true
      const { instrumentation } = this.config
      if (instrumentation.prometheus) {
        if (isMetricsSource(this.metrics)) {
          this.#metricsServer = await serveMetrics({
            laddr: instrumentation.prometheusListenAddr,
            registry: this.metrics,
            maxOpenConnections: instrumentation.maxOpenConnections,
            logger: this.logger
          })
        } else {
          this.logger.warn('instrumentation.prometheus is on but the metrics registry given cannot be served')
        }
      }
      const bound = await listenOn(this.switch.transport, this.config.p2p.laddr, this.id, this.#lookup)
      this.addrBook.addOurAddress(bound)
      const external = await externalNetAddress(this.config.p2p.externalAddress, this.id, this.#lookup)
      if (external !== undefined) this.addrBook.addOurAddress(external)
      if (this.#state !== 'starting') throw new NodeStateError('the node was stopped while starting')
      await this.switch.start()
    } catch (err) {
      this.#state = 'stopping'
      await this.#release().catch((cleanupError: unknown) => this.logger.error('cleanup after a failed start failed', { error: cleanupError }))
      this.#state = 'stopped'
      throw err
    }
    this.#state = 'running'
    this.logger.info('node started', {
      id: this.id,
      addr: this.switch.netAddress()?.toString(),
      network: this.config.chainId,
      moniker: this.config.moniker
    })
  }

  /**
   * Stops gracefully: the switch (every peer flushed and closed, reactors
   * stopped, no dial or timer left), then the address book (saved), then the
   * metrics endpoint. Idempotent; waits for a `start()` in progress first.
   * Rejects when saving the book fails (everything else is still released).
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop()
    return this.#stopping
  }

  async #stop(): Promise<void> {
    await this.#starting?.catch(() => undefined)
    if (this.#state === 'stopped') return
    this.#state = 'stopping'
    try {
      await this.#release()
    } finally {
      this.#state = 'stopped'
      this.logger.info('node stopped', { id: this.id })
    }
  }

  /** Stops what was started; the first failure is rethrown after the rest is released. */
  async #release(): Promise<void> {
    const failures: unknown[] = []
    const attempt = async (what: () => Promise<void>): Promise<void> => {
      try {
        await what()
      } catch (err) {
        failures.push(err)
      }
    }
    await attempt(() => this.switch.stop())
    if (this.#bookStarted) await attempt(() => this.addrBook.stop())
    const server = this.#metricsServer
    this.#metricsServer = undefined
    if (server !== undefined) await attempt(() => server.close())
    if (failures.length > 0) throw failures[0]
  }

  /** The address we listen on, with our ID (the bound port when 0 was asked for). Throws `NodeStateError` before listening. */
  netAddress(): NetAddress {
    const addr = this.switch.netAddress()
    if (addr === undefined) throw new NodeStateError('the node is not listening yet: call start() first')
    return addr
  }

  /** Our NodeInfo, channels included. */
  nodeInfo(): NodeInfo {
    return this.switch.nodeInfo()
  }

  /** The connected peers. */
  peers(): Peer[] {
    return this.switch.peers().list()
  }

  /** The reactor registered under `name` (`PEX` or one of `reactors`). */
  reactor<R extends Reactor = Reactor>(name: string): R | undefined {
    return this.#reactors.get(name) as R | undefined
  }

  /**
   * Dials `address` (`id@host:port`, host names resolved, or a `NetAddress`)
   * and resolves with the peer once it is added. Rejects as
   * `Switch.dialPeerWithAddress` does, or with a `NetAddressError`.
   */
  async dial(address: string | NetAddress, options: AbortOptions = {}): Promise<Peer> {
    if (!this.isRunning) throw new NodeStateError(`cannot dial: the node is ${this.#state}`)
    const addr = typeof address === 'string' ? await parseNetAddress(address, { lookup: this.#lookup, signal: options.signal }) : address
    return this.switch.dialPeerWithAddress(addr, options)
  }

  /** Calls `listener` on every `event` (`peer:added`, `peer:removed`, `peer:rejected`). */
  on<K extends keyof NodeEvents>(event: K, listener: (value: NodeEvents[K]) => void): this {
    this.switch.on(event, listener)
    return this
  }

  /** Calls `listener` on the next `event` only. */
  once<K extends keyof NodeEvents>(event: K, listener: (value: NodeEvents[K]) => void): this {
    this.switch.once(event, listener)
    return this
  }

  /** Removes a listener. */
  off<K extends keyof NodeEvents>(event: K, listener: (value: NodeEvents[K]) => void): this {
    this.switch.off(event, listener)
    return this
  }
}
