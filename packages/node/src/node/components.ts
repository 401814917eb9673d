/**
 * Builds the parts of a node from its settings: metrics, address book,
 * PEX reactor and switch, wired as the reference node wires them.
 */
import { AddrBook } from '@comet-p2p/addrbook'
import { PexReactor } from '@comet-p2p/pex'
import { Switch, type Reactor, type SwitchConfigInput } from '@comet-p2p/switch'
import { noopMetrics, type Logger, type MetricsRegistry, type NodeIdentity } from '@comet-p2p/types'
import { rootify } from '../home/paths.js'
import { createPrometheusMetrics } from '../metrics/prometheus.js'
import type { MetricsSource } from '../metrics/server.js'
import type { NodeConfig } from '../config/types.js'
import { MessageMetrics } from './message-metrics.js'
import { buildNodeInfo } from './node-info.js'
import type { NodeOptions, NodeSwitchOptions } from './options.js'

/** A validated configuration with its chain ID. */
export type ResolvedNodeConfig = NodeConfig & { chainId: string }

/** The parts of a node. */
export interface NodeComponents {
  metrics: MetricsRegistry
  addrBook: AddrBook
  pex: PexReactor | undefined
  switch: Switch
}

const SWITCH_EXTRAS: readonly (keyof NodeSwitchOptions)[] = [
  'filterTimeoutMs',
  'mconnection',
  'reconnectAttempts',
  'reconnectIntervalMs',
  'reconnectBackOffAttempts',
  'reconnectBackOffBase',
  'reconnectBackOffUnitMs',
  'dialRandomizerIntervalMs',
  'metricsIntervalMs',
  'lookupTimeoutMs',
  'maxConcurrentHandshakes',
  'maxHandshakesPerIp',
  'maxConnectionsPerIp',
  'maxHandshakeMessageSize'
]

/** The registry to report to: the one given, a Prometheus one when the endpoint is on, else none. */
export function chooseMetrics(config: NodeConfig, given: MetricsRegistry | undefined): MetricsRegistry {
  if (given !== undefined) return given
  if (config.instrumentation.prometheus) return createPrometheusMetrics({ namespace: config.instrumentation.namespace })
  return noopMetrics
}

/** Whether a registry can be served over HTTP (a `PrometheusMetrics`, or anything with `metrics()` and `contentType`). */
export function isMetricsSource(value: unknown): value is MetricsSource {
  const candidate = value as Partial<MetricsSource> | null
  return typeof candidate === 'object' && candidate !== null && typeof candidate.metrics === 'function' && typeof candidate.contentType === 'string'
}

function switchConfigOf(config: ResolvedNodeConfig, extras: NodeSwitchOptions | undefined): SwitchConfigInput {
  const p2p = config.p2p
  const picked: SwitchConfigInput = {}
  for (const key of SWITCH_EXTRAS) {
    if (extras?.[key] !== undefined) Object.assign(picked, { [key]: extras[key] })
  }
  return {
    ...picked,
    maxNumInboundPeers: p2p.maxNumInboundPeers,
    maxNumOutboundPeers: p2p.maxNumOutboundPeers,
    unconditionalPeerIds: p2p.unconditionalPeerIds,
    persistentPeers: p2p.persistentPeers,
    persistentPeersMaxDialPeriodMs: p2p.persistentPeersMaxDialPeriodMs,
    privatePeerIds: p2p.privatePeerIds,
    allowDuplicateIp: p2p.allowDuplicateIp,
    handshakeTimeoutMs: p2p.handshakeTimeoutMs,
    dialTimeoutMs: p2p.dialTimeoutMs,
    flushThrottleTimeoutMs: p2p.flushThrottleTimeoutMs,
    maxPacketMsgPayloadSize: p2p.maxPacketMsgPayloadSize,
    sendRate: p2p.sendRate,
    recvRate: p2p.recvRate
  }
}

/** The address book: in `p2p.addrBookFile` (under `home`) when persisted, else in memory. */
function createAddrBook(config: ResolvedNodeConfig, options: NodeOptions, logger: Logger): AddrBook {
  const { persist, ...bookOptions } = options.addrBook ?? {}
  const persisted = persist ?? config.home !== ''
  return new AddrBook({
    ...bookOptions,
    filePath: persisted ? rootify(config.p2p.addrBookFile, config.home === '' ? process.cwd() : config.home) : undefined,
    routabilityStrict: config.p2p.addrBookStrict,
    clock: options.clock,
    random: options.random,
    logger: logger.child({ module: 'addrbook' })
  })
}

/**
 * Creates the metrics registry, the address book, the PEX reactor (when
 * `p2p.pex` is on) and the switch with PEX and the custom reactors added,
 * each wrapped to count messages.
 */
export function createComponents(config: ResolvedNodeConfig, nodeKey: NodeIdentity, options: NodeOptions, logger: Logger): NodeComponents {
  const metrics = chooseMetrics(config, options.metrics)
  const addrBook = createAddrBook(config, options, logger)
  const sw = new Switch({
    nodeKey,
    nodeInfo: buildNodeInfo(config, options.nodeInfo),
    config: switchConfigOf(config, options.switch),
    addrBook,
    logger: logger.child({ module: 'p2p' }),
    metrics,
    clock: options.clock,
    random: options.random,
    lookup: options.lookup
  })
  const messages = new MessageMetrics(metrics)
  let pex: PexReactor | undefined
  if (config.p2p.pex) {
    pex = new PexReactor({
      ...options.pex,
      book: addrBook,
      // The node starts and stops the book itself, so that it is loaded and
      // saved with PEX off too.
      manageBook: false,
      seeds: config.p2p.seeds,
      seedMode: config.p2p.seedMode,
      persistentPeersMaxDialPeriodMs: config.p2p.persistentPeersMaxDialPeriodMs,
      logger: logger.child({ module: 'pex' }),
      metrics,
      clock: options.clock,
      random: options.random,
      lookup: options.lookup
    })
    sw.addReactor('PEX', messages.wrap('PEX', pex))
  } else if (config.p2p.seedMode) {
    logger.warn('seed_mode is on but pex is off: seed mode needs the PEX reactor and has no effect', { module: 'node' })
  }
  for (const [name, reactor] of Object.entries<Reactor>(options.reactors ?? {})) {
    sw.addReactor(name, messages.wrap(name, reactor))
  }
  return { metrics, addrBook, pex, switch: sw }
}
