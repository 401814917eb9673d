import { hostname } from 'node:os'

/** Output format of the logger (`log_format`). */
export type LogFormat = 'plain' | 'json'

/**
 * The `[p2p]` section of a CometBFT `config.toml` (v0.34–v0.38), in
 * camelCase, with the reference defaults (`DefaultP2PConfig`). Durations are
 * in milliseconds (the `…Ms` fields); comma-separated lists are arrays.
 * Field names match `SwitchConfig` of `@comet-p2p/switch` where both exist.
 */
export interface P2PNodeConfig {
  /** Address to accept peers on, `tcp://host:port` (`laddr`). Default `"tcp://0.0.0.0:26656"`. */
  laddr: string
  /** `host:port` advertised to peers instead of `laddr`; empty for none (`external_address`). Default `""`. */
  externalAddress: string
  /** `id@host:port` seed nodes, asked for addresses when the address book has too few (`seeds`). Default none. */
  seeds: string[]
  /** `id@host:port` peers to stay connected to (`persistent_peers`). Default none. */
  persistentPeers: string[]
  /** Address book file, relative to the home directory unless absolute (`addr_book_file`). Default `"config/addrbook.json"`. */
  addrBookFile: string
  /** Only accept routable addresses into the address book; false for private networks (`addr_book_strict`). Default true. */
  addrBookStrict: boolean
  /** Most inbound peers (`max_num_inbound_peers`). Default 40. */
  maxNumInboundPeers: number
  /** Outbound peers the peer manager dials towards (`max_num_outbound_peers`); unconditional peers are not counted, and persistent peers can take the count higher. Default 10. */
  maxNumOutboundPeers: number
  /** Node IDs connected to regardless of the limits (`unconditional_peer_ids`). Default none. */
  unconditionalPeerIds: string[]
  /** Longest pause between redials of a persistent peer; 0 for exponential backoff (`persistent_peers_max_dial_period`). Default 0. */
  persistentPeersMaxDialPeriodMs: number
  /** Longest time written packets wait before a flush (`flush_throttle_timeout`). Default 100. */
  flushThrottleTimeoutMs: number
  /** Largest message payload of one packet, bytes (`max_packet_msg_payload_size`). Default 1024. */
  maxPacketMsgPayloadSize: number
  /** Bytes per second sent to each peer (`send_rate`). Default 5120000. */
  sendRate: number
  /** Bytes per second received from each peer (`recv_rate`). Default 5120000. */
  recvRate: number
  /** Run the peer-exchange reactor (`pex`). Default true. */
  pex: boolean
  /** Crawl the network and answer address requests, then disconnect (`seed_mode`). Default false. */
  seedMode: boolean
  /** Node IDs never gossiped to other peers (`private_peer_ids`). Default none. */
  privatePeerIds: string[]
  /** Accept several peers from one IP (`allow_duplicate_ip`). Default false. */
  allowDuplicateIp: boolean
  /** Time allowed for the secret-connection and NodeInfo handshake (`handshake_timeout`). Default 20000. */
  handshakeTimeoutMs: number
  /** Time allowed to open a TCP connection (`dial_timeout`). Default 3000. */
  dialTimeoutMs: number
}

/** The `[instrumentation]` section: the Prometheus endpoint. */
export interface InstrumentationConfig {
  /** Serve Prometheus metrics under `/metrics` (`prometheus`). Default false. */
  prometheus: boolean
  /** `host:port` of the metrics endpoint; an empty host means every interface (`prometheus_listen_addr`). Default `":26660"`. */
  prometheusListenAddr: string
  /** Most simultaneous connections to the endpoint; 0 for no limit (`max_open_connections`). Default 3. */
  maxOpenConnections: number
  /** Prefix of every metric name (`namespace`). Default `"cometbft"`. */
  namespace: string
}

/**
 * Everything a comet-p2p node reads from its home: the base keys of
 * `config.toml` it uses, `[p2p]`, `[instrumentation]`, and the chain ID
 * (from `genesis.json` or given explicitly).
 */
export interface NodeConfig {
  /** The home directory; relative paths below are resolved against it. */
  home: string
  /** Human-readable node name sent to peers (`moniker`). Default: the host name, or `"anonymous"`. */
  moniker: string
  /** The chain (network) ID peers must share; from `genesis.json` unless given. Not in `config.toml`. */
  chainId?: string | undefined
  /** Log level, CometBFT syntax: `"info"` or `"p2p:debug,*:error"` (`log_level`). Default `"info"`. */
  logLevel: string
  /** Log output format (`log_format`). Default `"plain"`. */
  logFormat: LogFormat
  /** Genesis file, relative to the home unless absolute (`genesis_file`). Default `"config/genesis.json"`. */
  genesisFile: string
  /** Node key file, relative to the home unless absolute (`node_key_file`). Default `"config/node_key.json"`. */
  nodeKeyFile: string
  p2p: P2PNodeConfig
  instrumentation: InstrumentationConfig
}

/**
 * Values that replace parts of a {@link NodeConfig} (from flags, say);
 * `undefined` values leave the original alone.
 */
export type NodeConfigOverrides = {
  [K in Exclude<keyof NodeConfig, 'p2p' | 'instrumentation'>]?: NodeConfig[K] | undefined
} & {
  p2p?: { [K in keyof P2PNodeConfig]?: P2PNodeConfig[K] | undefined } | undefined
  instrumentation?: { [K in keyof InstrumentationConfig]?: InstrumentationConfig[K] | undefined } | undefined
}

/** The reference default of `[p2p]` (`DefaultP2PConfig`), as a fresh object. */
export function defaultP2PNodeConfig(): P2PNodeConfig {
  return {
    laddr: 'tcp://0.0.0.0:26656',
    externalAddress: '',
    seeds: [],
    persistentPeers: [],
    addrBookFile: 'config/addrbook.json',
    addrBookStrict: true,
    maxNumInboundPeers: 40,
    maxNumOutboundPeers: 10,
    unconditionalPeerIds: [],
    persistentPeersMaxDialPeriodMs: 0,
    flushThrottleTimeoutMs: 100,
    maxPacketMsgPayloadSize: 1024,
    sendRate: 5_120_000,
    recvRate: 5_120_000,
    pex: true,
    seedMode: false,
    privatePeerIds: [],
    allowDuplicateIp: false,
    handshakeTimeoutMs: 20_000,
    dialTimeoutMs: 3_000
  }
}

/** The reference default of `[instrumentation]` (`DefaultInstrumentationConfig`), as a fresh object. */
export function defaultInstrumentationConfig(): InstrumentationConfig {
  return { prometheus: false, prometheusListenAddr: ':26660', maxOpenConnections: 3, namespace: 'cometbft' }
}

/** The reference default moniker: the host name, or `"anonymous"` when there is none. */
export function defaultMoniker(): string {
  try {
    const name = hostname()
    return name === '' ? 'anonymous' : name
  } catch {
    return 'anonymous'
  }
}

/** A complete configuration with the reference defaults, for the home directory `home`. */
export function defaultNodeConfig(home: string): NodeConfig {
  return {
    home,
    moniker: defaultMoniker(),
    logLevel: 'info',
    logFormat: 'plain',
    genesisFile: 'config/genesis.json',
    nodeKeyFile: 'config/node_key.json',
    p2p: defaultP2PNodeConfig(),
    instrumentation: defaultInstrumentationConfig()
  }
}

function definedEntries<T extends object>(values: T | undefined): Partial<T> {
  const out: Partial<T> = {}
  if (values === undefined) return out
  for (const [key, value] of Object.entries(values) as [keyof T, T[keyof T]][]) {
    if (value !== undefined) out[key] = value
  }
  return out
}

/** A copy of `base` with every defined value of `overrides` applied; arrays are copied, not shared. */
export function mergeNodeConfig(base: NodeConfig, overrides: NodeConfigOverrides = {}): NodeConfig {
  const { p2p, instrumentation, ...top } = overrides
  const merged: NodeConfig = {
    ...base,
    ...(definedEntries(top) as Partial<NodeConfig>),
    p2p: { ...base.p2p, ...(definedEntries(p2p) as Partial<P2PNodeConfig>) },
    instrumentation: { ...base.instrumentation, ...(definedEntries(instrumentation) as Partial<InstrumentationConfig>) }
  }
  const lists = ['seeds', 'persistentPeers', 'unconditionalPeerIds', 'privatePeerIds'] as const
  for (const list of lists) merged.p2p[list] = [...merged.p2p[list]]
  return merged
}
