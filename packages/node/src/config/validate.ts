import { parseLogLevel } from '../logging/level.js'
import { listenAddressProblem, nodeIdProblem, peerAddressProblem } from './address.js'
import { ConfigError } from './errors.js'
import type { NodeConfig, P2PNodeConfig } from './types.js'

/** The reference `MaxChainIDLen`: longest chain ID, in bytes. */
export const MAX_CHAIN_ID_LENGTH = 50

const METRIC_NAMESPACE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/

function fail(key: string, detail: string, cause?: unknown): never {
  throw new ConfigError(`${key} ${detail}`, { key, cause })
}

function nonNegativeInteger(key: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) fail(key, `must be a non-negative integer, got ${value}`)
}

function nonNegativeDuration(key: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) fail(key, `must be a non-negative duration, got ${value} ms`)
}

function nonEmptyPath(key: string, value: string): void {
  if (typeof value !== 'string' || value === '') fail(key, 'must be a file path, got an empty value')
}

function checkBase(cfg: NodeConfig): void {
  if (typeof cfg.moniker !== 'string' || !/^[\x20-\x7e]*[\x21-\x7e][\x20-\x7e]*$/.test(cfg.moniker)) {
    fail('moniker', `must be printable ASCII and not blank, got ${JSON.stringify(cfg.moniker)}`)
  }
  try {
    parseLogLevel(cfg.logLevel)
  } catch (err) {
    fail('log_level', `is invalid: ${(err as Error).message}`, err)
  }
  if (cfg.logFormat !== 'plain' && cfg.logFormat !== 'json') {
    fail('log_format', `must be "plain" or "json", got ${JSON.stringify(cfg.logFormat)}`)
  }
  if (cfg.chainId !== undefined) {
    const length = Buffer.byteLength(cfg.chainId)
    if (length === 0) fail('chain_id', 'must not be empty')
    if (length > MAX_CHAIN_ID_LENGTH) fail('chain_id', `is ${length} bytes long, at most ${MAX_CHAIN_ID_LENGTH} allowed`)
  }
  nonEmptyPath('genesis_file', cfg.genesisFile)
  nonEmptyPath('node_key_file', cfg.nodeKeyFile)
}

function checkAddresses(p2p: P2PNodeConfig): void {
  const laddrProblem = listenAddressProblem(p2p.laddr)
  if (laddrProblem !== undefined) fail('p2p.laddr', `must be tcp://host:port: ${laddrProblem}`)
  if (p2p.externalAddress !== '') {
    const problem = listenAddressProblem(p2p.externalAddress)
    if (problem !== undefined) fail('p2p.external_address', `must be empty or host:port: ${problem}`)
  }
  for (const [key, list] of [
    ['p2p.seeds', p2p.seeds],
    ['p2p.persistent_peers', p2p.persistentPeers]
  ] as const) {
    for (const address of list) {
      const problem = peerAddressProblem(address)
      if (problem !== undefined) fail(key, `has an invalid address ${JSON.stringify(address)}: ${problem}`)
    }
  }
  for (const [key, list] of [
    ['p2p.unconditional_peer_ids', p2p.unconditionalPeerIds],
    ['p2p.private_peer_ids', p2p.privatePeerIds]
  ] as const) {
    for (const id of list) {
      const problem = nodeIdProblem(id)
      if (problem !== undefined) fail(key, `has an invalid entry: ${problem}`)
    }
  }
}

function checkP2P(p2p: P2PNodeConfig): void {
  checkAddresses(p2p)
  nonEmptyPath('p2p.addr_book_file', p2p.addrBookFile)
  // The reference checks the numbers below for being negative only.
  nonNegativeInteger('p2p.max_num_inbound_peers', p2p.maxNumInboundPeers)
  nonNegativeInteger('p2p.max_num_outbound_peers', p2p.maxNumOutboundPeers)
  nonNegativeDuration('p2p.flush_throttle_timeout', p2p.flushThrottleTimeoutMs)
  nonNegativeDuration('p2p.persistent_peers_max_dial_period', p2p.persistentPeersMaxDialPeriodMs)
  // Stricter than the reference, which lets 0 through: packets carrying no
  // message bytes could never deliver a message.
  if (!Number.isSafeInteger(p2p.maxPacketMsgPayloadSize) || p2p.maxPacketMsgPayloadSize < 1) {
    fail('p2p.max_packet_msg_payload_size', `must be a positive integer, got ${p2p.maxPacketMsgPayloadSize}`)
  }
  nonNegativeInteger('p2p.send_rate', p2p.sendRate)
  nonNegativeInteger('p2p.recv_rate', p2p.recvRate)
  // Not checked by the reference; negative time limits make no sense.
  nonNegativeDuration('p2p.handshake_timeout', p2p.handshakeTimeoutMs)
  nonNegativeDuration('p2p.dial_timeout', p2p.dialTimeoutMs)
}

function checkInstrumentation(cfg: NodeConfig): void {
  const { instrumentation } = cfg
  nonNegativeInteger('instrumentation.max_open_connections', instrumentation.maxOpenConnections)
  // The endpoint settings only matter when it is enabled; CometBFT homes
  // with metrics off may hold anything there.
  if (!instrumentation.prometheus) return
  const problem = listenAddressProblem(instrumentation.prometheusListenAddr, true)
  if (problem !== undefined) fail('instrumentation.prometheus_listen_addr', `must be host:port or :port: ${problem}`)
  if (instrumentation.namespace !== '' && !METRIC_NAMESPACE.test(instrumentation.namespace)) {
    fail('instrumentation.namespace', `must be empty or a metric name prefix (letters, digits, _ and :), got ${JSON.stringify(instrumentation.namespace)}`)
  }
}

/**
 * Checks a configuration the way the reference `Config.ValidateBasic` does
 * (log format; no negative counts, rates or durations), plus what would
 * otherwise fail later: the log level, addresses (`laddr` is
 * `[tcp://]host:port`, seeds and persistent peers `id@host:port`, host names
 * allowed, only their syntax is checked), node IDs, the moniker (as peers
 * check it), the chain ID length and the metrics endpoint. Throws a
 * {@link ConfigError} naming the first offending key.
 */
export function validateNodeConfig(cfg: NodeConfig): void {
  checkBase(cfg)
  checkP2P(cfg.p2p)
  checkInstrumentation(cfg)
}
