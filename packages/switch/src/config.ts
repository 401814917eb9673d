import type { MConnectionConfig } from '@comet-p2p/mconnection'
import { DEFAULT_LOOKUP_TIMEOUT_MS, InvalidArgumentError, isValidNodeId, type NodeId } from '@comet-p2p/types'

/**
 * Configuration of a {@link Switch}: the reference `P2PConfig` fields the
 * switch uses, in camelCase, durations in milliseconds, with the reference
 * defaults (`DefaultP2PConfig`), plus the reconnect schedule constants the
 * reference hard-codes.
 */
export interface SwitchConfig {
  /** Most inbound peers, unconditional peers not counted (`max_num_inbound_peers`). Default 40. */
  maxNumInboundPeers: number
  /** Outbound peers to aim for, for reactors such as PEX (`max_num_outbound_peers`). Default 10. */
  maxNumOutboundPeers: number
  /** Node IDs admitted beyond the peer limits (`unconditional_peer_ids`). Default none. */
  unconditionalPeerIds: readonly string[]
  /** `id@host:port` addresses to stay connected to, dialed on start and redialed after errors (`persistent_peers`). Default none. */
  persistentPeers: readonly string[]
  /**
   * Longest pause between redials of a persistent peer; 0 means the
   * reference schedule (20 tries, then 10 with exponential backoff, then give
   * up). When positive, every pause is capped and redialing never gives up,
   * as `persistent_peers_max_dial_period` is documented. Default 0.
   */
  persistentPeersMaxDialPeriodMs: number
  /** Node IDs never reported to the address book (`private_peer_ids`). Default none. */
  privatePeerIds: readonly string[]
  /** Accept several peers from one IP (`allow_duplicate_ip`). Default false. */
  allowDuplicateIp: boolean
  /** Whole upgrade time limit, used when the switch creates its transport (`handshake_timeout`). Default 20000. */
  handshakeTimeoutMs: number
  /** TCP connect time limit, used when the switch creates its transport (`dial_timeout`). Default 3000. */
  dialTimeoutMs: number
  /** Time limit of the peer filters (and of the connection filters of a transport the switch creates). Default 5000. */
  filterTimeoutMs: number
  /**
   * `flush_throttle_timeout`: at most one flush of small writes per period,
   * none held longer; a message sent after a quiet period is flushed at once
   * (see `MConnectionConfig.flushThrottleMs`). Default 100.
   */
  flushThrottleTimeoutMs: number
  /** `max_packet_msg_payload_size`. Default 1024. */
  maxPacketMsgPayloadSize: number
  /** Bytes per second sent to each peer (`send_rate`). Default 5120000. */
  sendRate: number
  /** Bytes per second received from each peer (`recv_rate`). Default 5120000. */
  recvRate: number
  /** Further MConnection settings (ping interval, pong, send, stop and write-stall timeouts); the four above take precedence. */
  mconnection: Partial<MConnectionConfig>
  /** Redials at a fixed interval before backing off. Reference constant: 20. */
  reconnectAttempts: number
  /** The fixed interval. Reference constant: 5000. */
  reconnectIntervalMs: number
  /** Redials with exponential backoff before giving up. Reference constant: 10. */
  reconnectBackOffAttempts: number
  /** The backoff factor: the n-th backoff pause (from 0) is `reconnectBackOffUnitMs * base^n`. Reference constant: 3. */
  reconnectBackOffBase: number
  /** Unit of the backoff pauses. Reference: 1000 (one second). */
  reconnectBackOffUnitMs: number
  /** Upper bound of the random delay added to every redial pause and before each `dialPeersAsync` dial. Reference constant: 3000. */
  dialRandomizerIntervalMs: number
  /** How often `peer_pending_send_bytes` is refreshed. Reference constant: 10000. */
  metricsIntervalMs: number
  /** Time allowed for resolving one host name of a persistent peer or a `dialPeersAsync` address. Default 5000. */
  lookupTimeoutMs: number
  /**
   * Inbound connections being upgraded at once, used when the switch creates
   * its transport (`TcpTransportOptions.maxConcurrentHandshakes`). Not in
   * the reference. Default 100.
   */
  maxConcurrentHandshakes: number
  /** Inbound upgrades in progress from one IP, for a transport the switch creates. Not in the reference. Default 10. */
  maxHandshakesPerIp: number
  /** Inbound connections open from one IP (0: no limit), for a transport the switch creates. Not in the reference. Default 0. */
  maxConnectionsPerIp: number
  /** Largest secret-connection handshake message accepted, for a transport the switch creates. Default 1024. */
  maxHandshakeMessageSize: number
}

/** The defaults of {@link SwitchConfig}. */
export const defaultSwitchConfig: Readonly<SwitchConfig> = Object.freeze({
  maxNumInboundPeers: 40,
  maxNumOutboundPeers: 10,
  unconditionalPeerIds: [],
  persistentPeers: [],
  persistentPeersMaxDialPeriodMs: 0,
  privatePeerIds: [],
  allowDuplicateIp: false,
  handshakeTimeoutMs: 20_000,
  dialTimeoutMs: 3_000,
  filterTimeoutMs: 5_000,
  flushThrottleTimeoutMs: 100,
  maxPacketMsgPayloadSize: 1024,
  sendRate: 5_120_000,
  recvRate: 5_120_000,
  mconnection: {},
  reconnectAttempts: 20,
  reconnectIntervalMs: 5_000,
  reconnectBackOffAttempts: 10,
  reconnectBackOffBase: 3,
  reconnectBackOffUnitMs: 1_000,
  dialRandomizerIntervalMs: 3_000,
  metricsIntervalMs: 10_000,
  lookupTimeoutMs: DEFAULT_LOOKUP_TIMEOUT_MS,
  maxConcurrentHandshakes: 100,
  maxHandshakesPerIp: 10,
  maxConnectionsPerIp: 0,
  maxHandshakeMessageSize: 1024
})

/** A configuration as accepted by the switch: any subset; ID and address lists may also be comma-separated strings. */
export type SwitchConfigInput = Partial<
  Omit<SwitchConfig, 'unconditionalPeerIds' | 'persistentPeers' | 'privatePeerIds'> & {
    unconditionalPeerIds: readonly string[] | string
    persistentPeers: readonly string[] | string
    privatePeerIds: readonly string[] | string
  }
>

const NUMBERS = [
  'maxNumInboundPeers',
  'maxNumOutboundPeers',
  'persistentPeersMaxDialPeriodMs',
  'handshakeTimeoutMs',
  'dialTimeoutMs',
  'filterTimeoutMs',
  'flushThrottleTimeoutMs',
  'maxPacketMsgPayloadSize',
  'sendRate',
  'recvRate',
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
] as const

/** Applies the defaults and checks every value; throws `InvalidArgumentError`. */
export function resolveSwitchConfig(input: SwitchConfigInput = {}): SwitchConfig {
  const config: SwitchConfig = {
    ...defaultSwitchConfig,
    ...stripUndefined(input),
    unconditionalPeerIds: ids('unconditionalPeerIds', input.unconditionalPeerIds),
    privatePeerIds: ids('privatePeerIds', input.privatePeerIds),
    persistentPeers: list(input.persistentPeers),
    mconnection: { ...(input.mconnection ?? {}) }
  }
  for (const key of NUMBERS) {
    const value = config[key]
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
      throw new InvalidArgumentError(`${key} must be a non-negative number, got ${String(value)}`)
    }
  }
  if (config.metricsIntervalMs < 1) throw new InvalidArgumentError('metricsIntervalMs must be at least 1')
  // A valid handshake's longer message (the AuthSigMessage) is 102 bytes.
  if (config.maxHandshakeMessageSize < 102) throw new InvalidArgumentError('maxHandshakeMessageSize must be at least 102')
  return config
}

/** The MConnection settings of each peer. */
export function mconnectionConfigOf(config: SwitchConfig): Partial<MConnectionConfig> {
  return {
    ...config.mconnection,
    flushThrottleMs: config.flushThrottleTimeoutMs,
    maxPacketMsgPayloadSize: config.maxPacketMsgPayloadSize,
    sendRate: config.sendRate,
    recvRate: config.recvRate
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

function list(value: readonly string[] | string | undefined): string[] {
  if (value === undefined) return []
  const entries = typeof value === 'string' ? value.split(',') : [...value]
  return entries.map((s) => s.trim()).filter((s) => s !== '')
}

function ids(what: string, value: readonly string[] | string | undefined): NodeId[] {
  const out = list(value)
  out.forEach((id, i) => {
    if (!isValidNodeId(id)) throw new InvalidArgumentError(`${what}: entry #${i} (${JSON.stringify(id)}) is not a node ID`)
  })
  return out
}
