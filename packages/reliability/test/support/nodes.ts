import { AddrBook } from '@comet-p2p/addrbook'
import { PexReactor, type PexReactorOptions } from '@comet-p2p/pex'
import {
  BaseReactor,
  Switch,
  type ChannelDescriptor,
  type Envelope,
  type Peer,
  type RejectedError,
  type SwitchOptions
} from '@comet-p2p/switch'
import { NodeKey, type NetAddress, type NodeInfo } from '@comet-p2p/types'
import { LoopbackOnlyTransport } from './loopback-transport.js'
import { RecordingMetrics } from './metrics.js'

function unconditionalCount(ids: readonly string[] | string | undefined): number {
  if (ids === undefined) return 0
  return (typeof ids === 'string' ? ids.split(',') : ids).filter((s) => s.trim() !== '').length
}

export const NETWORK = 'reliability-chain'
/** The application channel of the test reactor. */
export const APP = 0x77

/** A complete NodeInfo for `key`, compatible with the test nodes (channel 0x77). */
export function nodeInfoFor(key: NodeKey, overrides: Partial<NodeInfo> = {}): NodeInfo {
  return {
    protocolVersion: { p2p: 8, block: 11, app: 0 },
    id: key.id,
    listenAddr: '127.0.0.1:26656',
    network: NETWORK,
    version: '0.34.27',
    channels: Uint8Array.of(APP),
    moniker: `hostile-${key.id.slice(0, 6)}`,
    other: { txIndex: 'off', rpcAddress: '' },
    ...overrides
  }
}

/** A reactor on one channel that records what arrives and who comes and goes. */
export class AppReactor extends BaseReactor {
  readonly received: { from: string; message: Uint8Array }[] = []
  readonly removed: { peer: Peer; reason: unknown }[] = []
  readonly added: Peer[] = []
  /** Messages received per peer ID (kept even when `record` is off). */
  readonly counts = new Map<string, number>()
  /** Keep every message in `received` (turn off for long runs). */
  record = true
  onReceive: ((envelope: Envelope) => void | Promise<void>) | undefined

  constructor(readonly descriptor: ChannelDescriptor = { id: APP, priority: 1, sendQueueCapacity: 100, recvMessageCapacity: 1 << 20 }) {
    super('AppReactor')
  }

  override getChannels(): ChannelDescriptor[] {
    return [this.descriptor]
  }

  override addPeer(peer: Peer): void {
    this.added.push(peer)
  }

  override removePeer(peer: Peer, reason: unknown): void {
    this.removed.push({ peer, reason })
  }

  override receive(envelope: Envelope): void | Promise<void> {
    this.counts.set(envelope.peer.id, (this.counts.get(envelope.peer.id) ?? 0) + 1)
    if (this.record) this.received.push({ from: envelope.peer.id, message: envelope.message })
    return this.onReceive?.(envelope)
  }

  /** Number of messages received from `id`. */
  countFrom(id: string): number {
    return this.counts.get(id) ?? 0
  }

  /** Messages received from `id`. */
  from(id: string): Uint8Array[] {
    return this.received.filter((r) => r.from === id).map((r) => r.message)
  }
}

/** Fast settings for switches in tests: short timers, all on 127.0.0.1. */
export const FAST: NonNullable<SwitchOptions['config']> = {
  allowDuplicateIp: true,
  handshakeTimeoutMs: 5000,
  dialTimeoutMs: 2000,
  flushThrottleTimeoutMs: 1,
  dialRandomizerIntervalMs: 0,
  reconnectIntervalMs: 50,
  reconnectBackOffUnitMs: 50,
  mconnection: { stopTimeoutMs: 1000 }
}

export interface TestNode {
  sw: Switch
  key: NodeKey
  app: AppReactor
  addr: NetAddress
  metrics: RecordingMetrics
  rejections: RejectedError[]
  book: AddrBook | undefined
  pex: PexReactor | undefined
  stop(): Promise<void>
}

export interface TestNodeOptions extends Partial<Omit<SwitchOptions, 'nodeInfo'>> {
  /** Channel of the app reactor (default 0x77, 1 MiB messages). */
  channel?: ChannelDescriptor
  /** Adds an in-memory (or file-backed) AddrBook and a PexReactor with these options. */
  pex?: Partial<PexReactorOptions> & { filePath?: string; routabilityStrict?: boolean }
  moniker?: string
  /** Listen host (default 127.0.0.1). */
  host?: string
  /** Listen port (default 0). */
  port?: number
  /** Do not start the switch. */
  noStart?: boolean
}

/** A switch with an app reactor (and optionally PEX + address book), listening on 127.0.0.1, started. */
export async function startNode(options: TestNodeOptions = {}): Promise<TestNode> {
  const key = (options.nodeKey as NodeKey | undefined) ?? NodeKey.generate()
  const metrics = (options.metrics as RecordingMetrics | undefined) ?? new RecordingMetrics()
  let book: AddrBook | undefined
  if (options.pex !== undefined) {
    book = new AddrBook({ filePath: options.pex.filePath, routabilityStrict: options.pex.routabilityStrict ?? false })
  }
  const config = { ...FAST, ...options.config }
  const transport =
    options.transport ??
    new LoopbackOnlyTransport({
      nodeKey: key,
      handshakeTimeoutMs: config.handshakeTimeoutMs,
      dialTimeoutMs: config.dialTimeoutMs,
      filterTimeoutMs: config.filterTimeoutMs,
      maxIncomingConnections: (config.maxNumInboundPeers ?? 40) + unconditionalCount(config.unconditionalPeerIds),
      connFilters: options.connFilters,
      logger: options.logger,
      metrics
    })
  const sw = new Switch({
    random: () => 0,
    ...options,
    transport,
    nodeKey: key,
    metrics,
    addrBook: options.addrBook ?? book,
    nodeInfo: {
      protocolVersion: { p2p: 8, block: 11, app: 0 },
      listenAddr: '',
      network: NETWORK,
      version: '0.34.27',
      moniker: options.moniker ?? 'target',
      other: { txIndex: 'off', rpcAddress: '' }
    },
    config
  })
  const app = sw.addReactor('app', new AppReactor(options.channel))
  let pex: PexReactor | undefined
  if (book !== undefined) {
    const { filePath: _f, routabilityStrict: _r, ...pexOptions } = options.pex ?? {}
    pex = sw.addReactor('PEX', new PexReactor({ book, ...pexOptions }))
  }
  const rejections: RejectedError[] = []
  sw.on('peer:rejected', ({ error }) => rejections.push(error))
  const addr = await sw.transport.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 })
  book?.addOurAddress(addr)
  if (options.noStart !== true) await sw.start()
  return { sw, key, app, addr, metrics, rejections, book, pex, stop: () => sw.stop() }
}
