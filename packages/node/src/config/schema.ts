/**
 * The `config.toml` keys this package reads and writes: section, key, the
 * {@link NodeConfig} field it maps to, its TOML type and the comment written
 * above it. The reader, the writer and error attribution all use this table,
 * so a key cannot be read one way and written another.
 */
import type { InstrumentationConfig, NodeConfig, P2PNodeConfig } from './types.js'

/** How a value is stored in TOML: strings (lists comma-separated, durations as Go text), booleans, integers. */
export type ConfigKind = 'string' | 'list' | 'duration' | 'bool' | 'int'

type BaseField = 'moniker' | 'logLevel' | 'logFormat' | 'genesisFile' | 'nodeKeyFile'

/** One `config.toml` key. */
export type ConfigKeySpec = {
  /** The key as written in TOML. */
  key: string
  kind: ConfigKind
  /** Comment lines written above the key. */
  comment: readonly string[]
} & (
  | { section: ''; field: BaseField & keyof NodeConfig }
  | { section: 'p2p'; field: keyof P2PNodeConfig }
  | { section: 'instrumentation'; field: keyof InstrumentationConfig }
)

/** Every key, in the order (and the sections) of the reference template. */
export const CONFIG_KEYS: readonly ConfigKeySpec[] = [
  { section: '', key: 'moniker', field: 'moniker', kind: 'string', comment: ['Name of this node, shown to peers.'] },
  {
    section: '',
    key: 'log_level',
    field: 'logLevel',
    kind: 'string',
    comment: ['Least severe level logged: debug, info, warn, error or none.', 'Per module: "p2p:debug,*:info".']
  },
  { section: '', key: 'log_format', field: 'logFormat', kind: 'string', comment: ['Log output: "plain" (text) or "json".'] },
  { section: '', key: 'genesis_file', field: 'genesisFile', kind: 'string', comment: ['Genesis document; its chain_id names the network.'] },
  { section: '', key: 'node_key_file', field: 'nodeKeyFile', kind: 'string', comment: ['Private key that identifies this node to its peers.'] },

  { section: 'p2p', key: 'laddr', field: 'laddr', kind: 'string', comment: ['Address on which peers are accepted.'] },
  {
    section: 'p2p',
    key: 'external_address',
    field: 'externalAddress',
    kind: 'string',
    comment: ['Address (host:port) told to peers for dialing this node.', 'Empty: the listen address is used.']
  },
  { section: 'p2p', key: 'seeds', field: 'seeds', kind: 'list', comment: ['Seed nodes (comma-separated id@host:port), asked for addresses.'] },
  {
    section: 'p2p',
    key: 'persistent_peers',
    field: 'persistentPeers',
    kind: 'list',
    comment: ['Peers (comma-separated id@host:port) to stay connected to.']
  },
  { section: 'p2p', key: 'addr_book_file', field: 'addrBookFile', kind: 'string', comment: ['Where known peer addresses are kept.'] },
  {
    section: 'p2p',
    key: 'addr_book_strict',
    field: 'addrBookStrict',
    kind: 'bool',
    comment: ['Keep only publicly routable addresses; set false on private networks.']
  },
  { section: 'p2p', key: 'max_num_inbound_peers', field: 'maxNumInboundPeers', kind: 'int', comment: ['Most peers that dialed us.'] },
  {
    section: 'p2p',
    key: 'max_num_outbound_peers',
    field: 'maxNumOutboundPeers',
    kind: 'int',
    comment: ['Outbound peers the peer manager dials towards (unconditional peers not counted; persistent peers can take it higher).']
  },
  {
    section: 'p2p',
    key: 'unconditional_peer_ids',
    field: 'unconditionalPeerIds',
    kind: 'list',
    comment: ['Node IDs (comma-separated) connected to whatever the limits above.']
  },
  {
    section: 'p2p',
    key: 'persistent_peers_max_dial_period',
    field: 'persistentPeersMaxDialPeriodMs',
    kind: 'duration',
    comment: ['Longest wait between redials of a persistent peer; "0s" backs off exponentially.']
  },
  {
    section: 'p2p',
    key: 'flush_throttle_timeout',
    field: 'flushThrottleTimeoutMs',
    kind: 'duration',
    comment: ['Longest time outgoing packets are held before being flushed.']
  },
  {
    section: 'p2p',
    key: 'max_packet_msg_payload_size',
    field: 'maxPacketMsgPayloadSize',
    kind: 'int',
    comment: ['Most message bytes carried by one packet.']
  },
  { section: 'p2p', key: 'send_rate', field: 'sendRate', kind: 'int', comment: ['Bytes per second sent to each peer.'] },
  { section: 'p2p', key: 'recv_rate', field: 'recvRate', kind: 'int', comment: ['Bytes per second received from each peer.'] },
  { section: 'p2p', key: 'pex', field: 'pex', kind: 'bool', comment: ['Exchange peer addresses with peers (PEX).'] },
  {
    section: 'p2p',
    key: 'seed_mode',
    field: 'seedMode',
    kind: 'bool',
    comment: ['Act as a seed: crawl the network, hand out addresses, hang up. Needs pex.']
  },
  {
    section: 'p2p',
    key: 'private_peer_ids',
    field: 'privatePeerIds',
    kind: 'list',
    comment: ['Node IDs (comma-separated) never told to other peers.']
  },
  { section: 'p2p', key: 'allow_duplicate_ip', field: 'allowDuplicateIp', kind: 'bool', comment: ['Accept more than one peer from the same IP.'] },
  {
    section: 'p2p',
    key: 'handshake_timeout',
    field: 'handshakeTimeoutMs',
    kind: 'duration',
    comment: ['Time allowed for the encrypted handshake and node info exchange.']
  },
  { section: 'p2p', key: 'dial_timeout', field: 'dialTimeoutMs', kind: 'duration', comment: ['Time allowed to open a connection.'] },

  {
    section: 'instrumentation',
    key: 'prometheus',
    field: 'prometheus',
    kind: 'bool',
    comment: ['Serve Prometheus metrics under /metrics.']
  },
  {
    section: 'instrumentation',
    key: 'prometheus_listen_addr',
    field: 'prometheusListenAddr',
    kind: 'string',
    comment: ['Address (host:port) of the metrics endpoint; no host: every interface.']
  },
  {
    section: 'instrumentation',
    key: 'max_open_connections',
    field: 'maxOpenConnections',
    kind: 'int',
    comment: ['Most simultaneous connections to the endpoint; 0: no limit.']
  },
  { section: 'instrumentation', key: 'namespace', field: 'namespace', kind: 'string', comment: ['Prefix of every metric name.'] }
]

/** The key path used in messages: `moniker`, `p2p.seeds`. */
export function keyPath(spec: Pick<ConfigKeySpec, 'section' | 'key'>): string {
  return spec.section === '' ? spec.key : `${spec.section}.${spec.key}`
}

/** The object of `config` that holds the field of `spec`, as a record. */
export function holderOf(config: NodeConfig, spec: ConfigKeySpec): Record<string, unknown> {
  if (spec.section === 'p2p') return config.p2p as unknown as Record<string, unknown>
  if (spec.section === 'instrumentation') return config.instrumentation as unknown as Record<string, unknown>
  return config as unknown as Record<string, unknown>
}

/** The spec of a key path such as `p2p.seeds`, if it is one of ours. */
export function specOfKey(path: string): ConfigKeySpec | undefined {
  return CONFIG_KEYS.find((spec) => keyPath(spec) === path)
}
