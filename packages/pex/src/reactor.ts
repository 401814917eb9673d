import { setMaxListeners } from 'node:events'
import { BaseReactor, type ChannelDescriptor, type Envelope, type Peer, type SwitchLike } from '@comet-p2p/switch'
import { noopMetrics, silentLogger, systemClock, type Logger, type NetAddress } from '@comet-p2p/types'
import { PEX_CHANNEL, resolvePexConfig, type PexReactorConfig } from './config.js'
import { errorText, type PexContext } from './context.js'
import { Crawler } from './crawler.js'
import { NoSeedsError, PexStateError } from './errors.js'
import type { CrawlStatus, PexAddrBook, PexReactorOptions } from './options.js'
import { PexMessageHandler } from './message-handler.js'
import { PeerManager } from './peer-manager.js'
import { selfReportedAddress } from './peer-address.js'
import { RequestTracker } from './request-tracker.js'
import { resolveSeeds } from './seeds.js'
import { emptyStats, PexMetrics, type PexStats } from './stats.js'
import { Routine, TaskSet } from './tasks.js'

type State = 'idle' | 'starting' | 'running' | 'stopped'

/** Delay between checks for the switch to run before the first round. */
const STARTUP_POLL_MS = 10

/**
 * The PEX reactor (the reference `p2p/pex.Reactor`): exchanges addresses
 * on channel 0x00, fills the address book, and either keeps the node
 * connected to `maxNumOutboundPeers` outbound peers (the peer manager) or,
 * in seed mode, crawls the network and hands out addresses.
 *
 * Add it to a switch (`sw.addReactor('PEX', reactor)`); the switch starts
 * and stops it.
 */
export class PexReactor extends BaseReactor {
  /** The settings in force. */
  readonly config: Readonly<PexReactorConfig>
  /** The address book. */
  readonly book: PexAddrBook
  readonly #options: PexReactorOptions
  readonly #stats = emptyStats()
  readonly #tracker = new RequestTracker()
  readonly #tasks = new TaskSet()
  readonly #controller = new AbortController()
  readonly #ctx: PexContext
  readonly #manager: PeerManager
  readonly #crawler: Crawler
  readonly #handler: PexMessageHandler
  #logger: Logger
  #seeds: NetAddress[] = []
  #state: State = 'idle'
  #routine: Routine | undefined
  #bookStarted = false

  constructor(options: PexReactorOptions) {
    super('PEX')
    this.#options = options
    this.config = Object.freeze(resolvePexConfig(options))
    this.book = options.book
    this.#logger = options.logger ?? silentLogger
    // Every dial in progress listens to the stop signal.
    setMaxListeners(0, this.#controller.signal)
    const metrics = new PexMetrics(options.metrics ?? noopMetrics)
    const currentSwitch = (): SwitchLike => this.switch
    const currentLogger = (): Logger => this.#logger
    const currentSeeds = (): readonly NetAddress[] => this.#seeds
    this.#ctx = {
      get sw(): SwitchLike {
        return currentSwitch()
      },
      get logger(): Logger {
        return currentLogger()
      },
      get seeds(): readonly NetAddress[] {
        return currentSeeds()
      },
      book: options.book,
      config: this.config,
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
      stats: this.#stats,
      metrics,
      tasks: this.#tasks,
      signal: this.#controller.signal,
      requestAddrs: (peer) => this.requestAddrs(peer)
    }
    this.#manager = new PeerManager(this.#ctx)
    this.#crawler = new Crawler(this.#ctx, this.#manager)
    this.#handler = new PexMessageHandler(this.#ctx, this.#tracker, this.#manager, {
      onAddrs: options.onAddrs,
      onMisbehaviour: options.onMisbehaviour
    })
  }

  override setSwitch(sw: SwitchLike | undefined): void {
    super.setSwitch(sw)
    if (this.#options.logger === undefined) this.#logger = sw?.logger.child({ module: 'pex' }) ?? silentLogger
  }

  /** True between a successful `start()` and `stop()`. */
  get isRunning(): boolean {
    return this.#state === 'running'
  }

  override getChannels(): ChannelDescriptor[] {
    return [
      {
        id: PEX_CHANNEL,
        priority: 1,
        sendQueueCapacity: this.config.sendQueueCapacity,
        recvMessageCapacity: this.config.recvMessageCapacity
      }
    ]
  }

  /**
   * Starts the book (with `manageBook`), resolves the seeds, and starts the
   * peer manager or, in seed mode, the crawler. Rejects with
   * {@link InvalidSeedError} for a malformed seed, and with
   * {@link NoSeedsError} when seeds are configured, none resolves and the
   * book is empty. A seed whose host name does not resolve is only logged.
   */
  override async start(): Promise<void> {
    if (this.#state !== 'idle') throw new PexStateError(`cannot start a PEX reactor that is ${this.#state}`)
    const sw = this.switch
    this.#state = 'starting'
    try {
      if (this.#options.manageBook !== false && this.book.start !== undefined) {
        await this.book.start()
        this.#bookStarted = true
      }
      const { addresses, lookupErrors } = await resolveSeeds(this.config.seeds, {
        lookup: this.#options.lookup,
        timeoutMs: this.config.seedLookupTimeoutMs,
        signal: this.#controller.signal
      })
      for (const err of lookupErrors) this.#logger.error('cannot resolve a seed', { error: err.message })
      if (this.config.seeds.length > 0 && addresses.length === 0 && this.book.empty()) throw new NoSeedsError(this.config.seeds.length)
      this.#seeds = addresses
      if (this.#state !== 'starting') throw new PexStateError('the PEX reactor was stopped while starting')
    } catch (err) {
      if (this.#state === 'starting') this.#state = 'idle'
      await this.#stopBook()
      throw err
    }
    this.#state = 'running'
    this.#startRoutine(sw)
    this.#logger.info('PEX reactor started', { seedMode: this.config.seedMode, seeds: this.#seeds.length })
  }

  /** Clears every timer, abandons dials in progress, waits for background work, and stops the book (with `manageBook`). */
  override async stop(): Promise<void> {
    if (this.#state === 'stopped') return
    this.#state = 'stopped'
    this.#routine?.stop()
    this.#routine = undefined
    this.#controller.abort(new PexStateError('the PEX reactor stopped'))
    await this.#tasks.settle()
    this.#tracker.clear()
    await this.#stopBook()
  }

  override addPeer(peer: Peer): void {
    if (this.#state !== 'running') return
    if (peer.isOutbound) {
      // Its address is in the book already (we dialed it): ask it for more if needed.
      if (this.book.needMoreAddrs()) this.requestAddrs(peer)
      return
    }
    // An inbound peer is the source of its own address. It is not asked
    // right away: inbound peers are trusted less; the peer manager may ask it later.
    const addr = selfReportedAddress(peer)
    if (addr === undefined) {
      this.#logger.info('inbound peer has no usable listen address', { peer: peer.id, listenAddr: peer.nodeInfo.listenAddr })
      return
    }
    this.#handler.addToBook(addr, addr)
  }

  override removePeer(peer: Peer, _reason: unknown): void {
    this.#tracker.forget(peer.id)
  }

  override receive(envelope: Envelope): void {
    if (this.#state !== 'running' || envelope.channelId !== PEX_CHANNEL) return
    this.#handler.receive(envelope.peer, envelope.message)
  }

  /** Asks `peer` for addresses, unless a request to it is still unanswered (one outstanding request per peer). */
  requestAddrs(peer: Peer): void {
    if (this.#state !== 'running') return
    this.#handler.requestAddrs(peer)
  }

  /**
   * Dials `addr` with the reactor's rules: refused with
   * `MaxDialAttemptsError` after `maxAttemptsToDial` failures (the address
   * is then marked bad; persistent peers excepted), with
   * `TooEarlyToDialError` during its backoff, else the switch's result.
   */
  async dialPeer(addr: NetAddress): Promise<Peer> {
    if (this.#state !== 'running') throw new PexStateError('cannot dial: the PEX reactor is not running')
    return this.#manager.dialPeer(addr)
  }

  /** Runs one round of the peer manager now (regular mode), besides the periodic ones. */
  ensurePeers(): void {
    if (this.#state !== 'running' || this.config.seedMode) return
    this.#manager.ensurePeers()
  }

  /** Failed dials of `addr` since its last success (the reference `AttemptsToDial`). */
  attemptsToDial(addr: NetAddress): number {
    return this.#manager.attempts.get(addr).attempts
  }

  /** The seeds resolved on start. */
  seedAddresses(): NetAddress[] {
    return [...this.#seeds]
  }

  /** A snapshot of the counters. */
  stats(): PexStats {
    return { ...this.#stats }
  }

  /** The seed-mode crawl records (empty in regular mode). */
  crawlStatus(): CrawlStatus {
    return { seedMode: this.config.seedMode, peers: this.#crawler.state.list() }
  }

  #startRoutine(sw: SwitchLike): void {
    if (this.config.seedMode) {
      let first = true
      const routine = new Routine(() => {
        if (!sw.isRunning) return routine.reschedule(STARTUP_POLL_MS)
        if (first) this.#crawler.initial()
        else this.#crawler.round()
        first = false
      }, this.config.crawlPeerPeriodMs, this.#routineFailed)
      this.#routine = routine
      routine.start(0)
      return
    }
    // Spread the first round of nodes that already have peers, against a
    // thundering herd; a node without any goes at once (to its seeds).
    const { outbound, inbound, dialing } = sw.numPeers()
    const period = this.config.ensurePeersPeriodMs
    const firstDelay = outbound + inbound + dialing > 0 ? Math.floor(this.#ctx.random() * period) : 0
    const routine = new Routine(() => {
      if (!sw.isRunning) return routine.reschedule(STARTUP_POLL_MS)
      this.#manager.ensurePeers()
    }, period, this.#routineFailed)
    this.#routine = routine
    routine.start(firstDelay)
  }

  readonly #routineFailed = (err: unknown): void => {
    this.#logger.error(this.config.seedMode ? 'crawl round failed' : 'ensure-peers round failed', { error: errorText(err) })
  }

  async #stopBook(): Promise<void> {
    if (!this.#bookStarted) return
    this.#bookStarted = false
    try {
      await this.book.stop?.()
    } catch (err) {
      this.#logger.error('address book failed to stop', { error: errorText(err) })
    }
  }
}
