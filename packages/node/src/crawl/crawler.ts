/**
 * A PEX crawler, like a seed node crawling: dial the seeds, ask every node
 * reached for addresses, dial what they name (up to `maxNodes` nodes), and
 * record every node seen: its addresses, whether it could be reached, its
 * NodeInfo, and who told us about it.
 */
import { Switch, type Peer } from '@comet-p2p/switch'
import { NetAddress, NodeKey, silentLogger, type Logger, type NetAddressProto, type NodeId, type NodeIdentity } from '@comet-p2p/types'
import { formatUserError } from '../cli/args-errors.js'
import { NODE_VERSION } from '../node/node-info.js'
import { NodeTable } from './records.js'
import { CrawlReactor } from './reactor.js'
import type { CrawlEnd, CrawlProgress, CrawlResult } from './types.js'

/** Options of {@link crawlNetwork}. Durations in milliseconds. */
export interface CrawlOptions {
  /** Where to start (host names already resolved). */
  seeds: readonly NetAddress[]
  /** The network to join: peers on another chain refuse us. */
  chainId: string
  /** Most nodes dialed, seeds included. Default 1000. */
  maxNodes?: number | undefined
  /** The crawl stops after this long, keeping what it found. Default 60000. */
  timeoutMs?: number | undefined
  /** Dials at once. Default 16. */
  concurrency?: number | undefined
  /** How long a connected node has to answer the address request. Default 10000. */
  answerTimeoutMs?: number | undefined
  /** TCP connect time limit. Default 3000. */
  dialTimeoutMs?: number | undefined
  /** Handshake time limit. Default 10000. */
  handshakeTimeoutMs?: number | undefined
  /** The crawler's identity; default a new key. */
  nodeKey?: NodeIdentity | undefined
  logger?: Logger | undefined
  /** Called with the counts as they change (at most every `progressIntervalMs`) and once at the end. */
  onProgress?: ((progress: CrawlProgress) => void) | undefined
  /** Default 250. */
  progressIntervalMs?: number | undefined
  /** Ends the crawl early (end `interrupted`), keeping what was found. */
  signal?: AbortSignal | undefined
}

/** Resolves when `promise` settles, `ms` pass or `signal` fires, whichever is first; clears its timer. */
function within(promise: Promise<void>, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
    if (signal.aborted) done()
    promise.then(done, done)
  })
}

class Crawl {
  readonly #o: Required<Omit<CrawlOptions, 'signal' | 'onProgress' | 'nodeKey' | 'logger'>> & CrawlOptions
  readonly #key: NodeIdentity
  readonly #logger: Logger
  readonly #table = new NodeTable()
  readonly #queue: NetAddress[] = []
  readonly #dialedIds = new Set<NodeId>()
  readonly #answers = new Map<NodeId, () => void>()
  readonly #tasks = new Set<Promise<void>>()
  readonly #stop = new AbortController()
  readonly #strict: boolean
  readonly #started = Date.now()
  #inFlight = 0
  #maxNodesReached = false
  #end: CrawlEnd | undefined
  #resolveDone: () => void = () => undefined
  #switch: Switch | undefined

  constructor(options: CrawlOptions) {
    this.#o = {
      maxNodes: 1000,
      timeoutMs: 60_000,
      concurrency: 16,
      answerTimeoutMs: 10_000,
      dialTimeoutMs: 3_000,
      handshakeTimeoutMs: 10_000,
      progressIntervalMs: 250,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
      seeds: options.seeds,
      chainId: options.chainId
    }
    this.#key = options.nodeKey ?? NodeKey.generate()
    this.#logger = options.logger ?? silentLogger
    // Crawling a public network from public seeds: skip the private and
    // local addresses nodes gossip. From local seeds (a test network), dial them.
    this.#strict = options.seeds.some((seed) => seed.routable())
  }

  async run(): Promise<CrawlResult> {
    const sw = new Switch({
      nodeKey: this.#key,
      nodeInfo: {
        protocolVersion: { p2p: 8, block: 11, app: 0 },
        // Not listening: an address peers can neither dial nor add to their books.
        listenAddr: 'tcp://0.0.0.0:0',
        network: this.#o.chainId,
        version: NODE_VERSION,
        moniker: 'comet-p2p-crawler',
        other: { txIndex: 'off', rpcAddress: '' }
      },
      config: {
        allowDuplicateIp: true,
        maxNumInboundPeers: 0,
        dialTimeoutMs: this.#o.dialTimeoutMs,
        handshakeTimeoutMs: this.#o.handshakeTimeoutMs
      },
      logger: this.#logger.child({ module: 'p2p' })
    })
    this.#switch = sw
    sw.addReactor('PEX', new CrawlReactor({ onAddrs: (peer, addrs) => this.#onAddrs(peer, addrs), onPeerGone: (peer) => this.#answered(peer.id) }))
    await sw.start()
    const done = new Promise<void>((resolve) => (this.#resolveDone = resolve))
    const timeout = setTimeout(() => this.#finish('timeout'), this.#o.timeoutMs)
    const onAbort = (): void => this.#finish('interrupted')
    this.#o.signal?.addEventListener('abort', onAbort, { once: true })
    if (this.#o.signal?.aborted === true) onAbort()
    const ticker = setInterval(() => this.#report(), this.#o.progressIntervalMs)
    for (const seed of this.#o.seeds) {
      this.#table.learn(seed, true)
      this.#enqueue(seed)
    }
    this.#pump()
    await done
    clearTimeout(timeout)
    clearInterval(ticker)
    this.#o.signal?.removeEventListener('abort', onAbort)
    this.#stop.abort(new Error('the crawl ended'))
    await sw.stop()
    await Promise.allSettled(this.#tasks)
    this.#report()
    const finished = Date.now()
    return {
      chainId: this.#o.chainId,
      seeds: this.#o.seeds.map((seed) => seed.toString()),
      startedAt: new Date(this.#started).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      elapsedMs: finished - this.#started,
      end: this.#end ?? 'done',
      maxNodesReached: this.#maxNodesReached,
      maxNodes: this.#o.maxNodes,
      crawler: { id: this.#key.id, version: NODE_VERSION },
      nodes: this.#table.toJSON()
    }
  }

  #report(): void {
    this.#o.onProgress?.(this.#table.progress(this.#inFlight, this.#queue.length, Date.now() - this.#started))
  }

  #finish(end: CrawlEnd): void {
    if (this.#end !== undefined) return
    this.#end = end
    this.#resolveDone()
  }

  /** Queues `addr` unless its node is reached, the address tried, the limit reached, or the address not worth dialing. */
  #enqueue(addr: NetAddress): void {
    const record = this.#table.get(addr.id)
    const key = addr.dialString()
    if (record === undefined || record.reachable === true || record.tried.has(key) || this.#end !== undefined) return
    if (this.#strict && !addr.routable()) {
      record.error ??= 'not dialed: non-routable address'
      return
    }
    if (!this.#dialedIds.has(addr.id) && this.#dialedIds.size >= this.#o.maxNodes) {
      this.#maxNodesReached = true
      record.error ??= 'not dialed: --max-nodes reached'
      return
    }
    record.tried.add(key)
    this.#dialedIds.add(addr.id)
    this.#queue.push(addr)
  }

  #pump(): void {
    while (this.#end === undefined && this.#inFlight < this.#o.concurrency) {
      const addr = this.#queue.shift()
      if (addr === undefined) break
      this.#inFlight++
      const task = this.#visit(addr).finally(() => {
        this.#tasks.delete(task)
        this.#inFlight--
        this.#pump()
      })
      this.#tasks.add(task)
    }
    if (this.#inFlight === 0 && this.#queue.length === 0) this.#finish('done')
  }

  async #visit(addr: NetAddress): Promise<void> {
    const sw = this.#switch
    const record = this.#table.get(addr.id)
    if (sw === undefined || record === undefined || record.reachable === true) return
    const signal = this.#stop.signal
    const answered = new Promise<void>((resolve) => this.#answers.set(addr.id, resolve))
    let peer: Peer | undefined
    try {
      peer = await sw.dialPeerWithAddress(addr, { signal })
      record.reachable = true
      record.dialedAddress = addr.dialString()
      record.nodeInfo = peer.nodeInfo
      record.error = null
      await within(answered, this.#o.answerTimeoutMs, signal)
      if (record.addressesReported === null) this.#logger.debug('no answer to the address request', { peer: addr.toString() })
    } catch (err) {
      if (record.reachable !== true) {
        record.reachable = signal.aborted ? record.reachable : false
        record.error = signal.aborted ? 'not dialed: the crawl ended first' : formatUserError(err)
      }
    } finally {
      this.#answers.delete(addr.id)
      if (peer !== undefined) await sw.stopPeerGracefully(peer).catch(() => undefined)
    }
  }

  #onAddrs(peer: Peer, addrs: readonly NetAddressProto[]): void {
    const source = this.#table.get(peer.id)
    if (source !== undefined) source.addressesReported = addrs.length
    for (const proto of addrs) {
      let addr: NetAddress
      try {
        addr = NetAddress.fromProto(proto)
        if (addr.valid() !== null) continue
      } catch {
        continue
      }
      if (addr.id === this.#key.id) continue
      const record = this.#table.learn(addr)
      if (addr.id !== peer.id) record.sources.add(peer.id)
      this.#enqueue(addr)
    }
    this.#answered(peer.id)
    this.#pump()
  }

  #answered(id: NodeId): void {
    this.#answers.get(id)?.()
  }
}

/**
 * Crawls the network of `options.chainId` from `options.seeds` through PEX
 * and resolves with every node seen. Never listens: peers cannot dial back.
 * Ends when every reachable node has been asked (or has failed to answer),
 * at `timeoutMs`, or when `signal` fires; what was found until then is kept.
 */
export function crawlNetwork(options: CrawlOptions): Promise<CrawlResult> {
  return new Crawl(options).run()
}
