import { InvalidArgumentError, type Logger, type MetricsRegistry, type NodeIdentity, type NodeInfo } from '@comet-p2p/types'
import type { SecretConnectionOptions } from '@comet-p2p/secret-connection'
import type { ConnFilter } from './transport.js'

/** Options of {@link TcpTransport}. Durations in milliseconds. */
export interface TcpTransportOptions {
  /** Our identity: the key the secret connection authenticates with. */
  nodeKey: NodeIdentity
  /** The NodeInfo to send; the switch sets it (with its channels) through `setNodeInfo`. */
  nodeInfo?: NodeInfo | undefined
  /** Time allowed for the whole upgrade (secret connection and NodeInfo exchange). Default 20000 (`handshake_timeout`). */
  handshakeTimeoutMs?: number | undefined
  /** Time allowed to open a TCP connection. Default 3000 (`dial_timeout`). */
  dialTimeoutMs?: number | undefined
  /** Time allowed for the connection filters to answer. Default 5000, as the reference. */
  filterTimeoutMs?: number | undefined
  /** Connection filters, run on every new connection (see {@link ConnFilter}). */
  connFilters?: readonly ConnFilter[] | undefined
  /**
   * Most inbound connections open at once, upgrading or upgraded; 0 for no
   * limit. Default 0. (The reference node sets `max_num_inbound_peers` plus
   * the number of unconditional peers and then stops accepting; here extra
   * connections are closed at once.)
   */
  maxIncomingConnections?: number | undefined
  /**
   * Most inbound connections being upgraded (or waiting for `accept`) at
   * once; more are closed at once. Not in the reference, which upgrades any
   * number concurrently. Default 100.
   */
  maxConcurrentHandshakes?: number | undefined
  /** Most inbound upgrades in progress from one IP. Not in the reference. Default 10. */
  maxHandshakesPerIp?: number | undefined
  /** Most inbound connections open from one IP, upgrading or upgraded; 0 for no limit. Not in the reference. Default 0. */
  maxConnectionsPerIp?: number | undefined
  /** Passed to every secret connection. */
  secretConnection?: Pick<SecretConnectionOptions, 'backend' | 'highWaterMark' | 'maxHandshakeMessageSize'> | undefined
  logger?: Logger | undefined
  /** Receives `rejected_connections_total{reason}`. */
  metrics?: MetricsRegistry | undefined
}

/** The limits of a transport with every default applied. */
export interface ResolvedTransportLimits {
  handshakeTimeoutMs: number
  dialTimeoutMs: number
  filterTimeoutMs: number
  maxIncomingConnections: number
  maxConcurrentHandshakes: number
  maxHandshakesPerIp: number
  maxConnectionsPerIp: number
}

/** The defaults of {@link TcpTransportOptions}. */
export const defaultTransportLimits: Readonly<ResolvedTransportLimits> = Object.freeze({
  handshakeTimeoutMs: 20_000,
  dialTimeoutMs: 3_000,
  filterTimeoutMs: 5_000,
  maxIncomingConnections: 0,
  maxConcurrentHandshakes: 100,
  maxHandshakesPerIp: 10,
  maxConnectionsPerIp: 0
})

/** Applies defaults and checks the values. */
export function resolveTransportLimits(options: Partial<ResolvedTransportLimits>): ResolvedTransportLimits {
  const out: ResolvedTransportLimits = { ...defaultTransportLimits }
  for (const key of Object.keys(out) as (keyof ResolvedTransportLimits)[]) {
    const value = options[key]
    if (value === undefined) continue
    const isCount = key.startsWith('max')
    // Time limits may be Infinity (no limit); counts must be integers.
    const ok = isCount ? Number.isSafeInteger(value) && value >= 0 : !Number.isNaN(value) && value >= 0
    if (!ok) throw new InvalidArgumentError(`${key} must be a non-negative ${isCount ? 'integer' : 'number'}, got ${value}`)
    out[key] = value
  }
  if (out.maxConcurrentHandshakes < 1) throw new InvalidArgumentError('maxConcurrentHandshakes must be at least 1')
  if (out.maxHandshakesPerIp < 1) throw new InvalidArgumentError('maxHandshakesPerIp must be at least 1')
  return out
}
