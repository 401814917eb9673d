import type { AddrBookOptions } from '@comet-p2p/addrbook'
import type { PexReactorConfigInput, PexReactorOptions } from '@comet-p2p/pex'
import type { Reactor, SwitchConfigInput } from '@comet-p2p/switch'
import type { Clock, HostLookup, Logger, MetricsRegistry, NodeIdentity, NodeInfoProtocolVersion } from '@comet-p2p/types'
import type { NodeConfigOverrides } from '../config/types.js'

/**
 * PEX settings beyond `[p2p]` (periods, limits, hooks), e.g. short periods
 * for tests and demos. `seeds`, `seedMode` and
 * `persistentPeersMaxDialPeriodMs` come from the `[p2p]` settings.
 */
export type NodePexOptions = Omit<PexReactorConfigInput, 'seeds' | 'seedMode' | 'persistentPeersMaxDialPeriodMs'> &
  Pick<PexReactorOptions, 'onAddrs' | 'onMisbehaviour'>

/**
 * Switch settings that are not in `config.toml` (the reference hard-codes
 * them): reconnect schedule, dial randomizer, metrics refresh period,
 * filter and DNS time limits, the transport's inbound handshake limits and
 * further MConnection settings.
 */
export type NodeSwitchOptions = Pick<
  SwitchConfigInput,
  | 'filterTimeoutMs'
  | 'mconnection'
  | 'reconnectAttempts'
  | 'reconnectIntervalMs'
  | 'reconnectBackOffAttempts'
  | 'reconnectBackOffBase'
  | 'reconnectBackOffUnitMs'
  | 'dialRandomizerIntervalMs'
  | 'metricsIntervalMs'
  | 'lookupTimeoutMs'
  | 'maxConcurrentHandshakes'
  | 'maxHandshakesPerIp'
  | 'maxConnectionsPerIp'
  | 'maxHandshakeMessageSize'
>

/** Address book settings beyond `[p2p]`. */
export type NodeAddrBookOptions = Pick<AddrBookOptions, 'saveIntervalMs' | 'needAddressThreshold' | 'newBucketSize' | 'oldBucketSize'> & {
  /**
   * Keep the book in `p2p.addrBookFile` (resolved against `home`). Default:
   * true when `home` is given, false otherwise (an in-memory book).
   */
  persist?: boolean | undefined
}

/** What the node says about itself in its NodeInfo, beyond the configuration. */
export interface NodeInfoOptions {
  /** Protocol versions; default `{ p2p: 8, block: 11, app: 0 }` (CometBFT v0.34–v0.38). Peers must share `block`. */
  protocolVersion?: Partial<NodeInfoProtocolVersion> | undefined
  /** Software version; default this package's version. */
  version?: string | undefined
  /** `other.tx_index`: `"on"`, `"off"` or `""`. Default `"off"` (a p2p node indexes nothing). */
  txIndex?: 'on' | 'off' | '' | undefined
  /** `other.rpc_address`. Default `""` (no RPC server). */
  rpcAddress?: string | undefined
}

/**
 * Options of {@link createNode}: the configuration (the fields of
 * `NodeConfig`, any subset, reference defaults for the rest; `chainId` is
 * required) plus the parts that are not configuration.
 */
export interface NodeOptions extends NodeConfigOverrides {
  /** Our identity (a `NodeKey`, or any `NodeIdentity` such as a remote signer). Default: a new random key. */
  nodeKey?: NodeIdentity | undefined
  /** Custom reactors by name, added after PEX; their channels join our NodeInfo. */
  reactors?: Readonly<Record<string, Reactor>> | undefined
  /** Default: silent. Components log with `module` = `node`, `p2p`, `transport`, `pex`, `addrbook`. */
  logger?: Logger | undefined
  /**
   * Where metrics go: any `MetricsRegistry`, or a `PrometheusMetrics`. With
   * `instrumentation.prometheus` on and no registry given, a
   * `PrometheusMetrics` with `instrumentation.namespace` is created.
   */
  metrics?: MetricsRegistry | undefined
  /** Time source of the switch, book and PEX. Default the system clock. */
  clock?: Clock | undefined
  /** Random numbers in [0, 1) for the switch, book and PEX. Default `Math.random`. */
  random?: (() => number) | undefined
  /** Resolver for host names in `laddr`, seeds and persistent peers. Default the system's. */
  lookup?: HostLookup | undefined
  /** PEX settings beyond `[p2p]` (periods for tests and demos, hooks). */
  pex?: NodePexOptions | undefined
  /** Switch settings that `config.toml` does not have. */
  switch?: NodeSwitchOptions | undefined
  /** Address book settings beyond `[p2p]`. */
  addrBook?: NodeAddrBookOptions | undefined
  /** NodeInfo fields that are not configuration. */
  nodeInfo?: NodeInfoOptions | undefined
}

/** The keys of {@link NodeOptions} that are not configuration. */
export const NON_CONFIG_OPTIONS = [
  'nodeKey',
  'reactors',
  'logger',
  'metrics',
  'clock',
  'random',
  'lookup',
  'pex',
  'switch',
  'addrBook',
  'nodeInfo'
] as const satisfies readonly (keyof NodeOptions)[]

/** Splits options into configuration overrides and the rest. */
export function configOverridesOf(options: NodeOptions): NodeConfigOverrides {
  const overrides: Record<string, unknown> = { ...options }
  for (const key of NON_CONFIG_OPTIONS) delete overrides[key]
  return overrides
}
