import { CometError, type NetAddress, type NodeId } from '@comet-p2p/types'

/**
 * Why a connection or a peer was turned away. The transport decides the
 * first group while it upgrades a connection, the switch the last four once
 * the connection is upgraded:
 *
 * - `duplicate`: a connection to or from the same `ip:port` is already open,
 *   or a peer with the same node ID is already connected.
 * - `filtered`: a connection or peer filter threw.
 * - `filter_timeout`: a filter did not answer within its time limit.
 * - `auth_failure`: the peer did not prove the identity it had to: it
 *   authenticated as another node than the one dialed, its NodeInfo names
 *   another ID than its key, or its handshake signature is bad.
 * - `self`: the peer is this node.
 * - `incompatible`: its NodeInfo is valid but not compatible with ours
 *   (block version, network, no common channel).
 * - `node_info_invalid`: its NodeInfo does not decode, is over
 *   `MAX_NODE_INFO_SIZE`, or fails validation.
 * - `timeout`: the upgrade (secret connection and NodeInfo exchange) did not
 *   finish within the handshake time limit.
 * - `handshake_failed`: the secret connection handshake failed otherwise
 *   (garbage bytes, a low-order key, the stream closed or failed).
 * - `too_many_handshakes`: the transport already upgrades its maximum number
 *   of inbound connections.
 * - `too_many_connections`: the transport already has
 *   `maxIncomingConnections` inbound connections open.
 * - `too_many_from_ip`: the remote IP already has its maximum number of
 *   inbound handshakes or connections.
 * - `closed`: the transport or switch was closing.
 * - `inbound_limit`: the switch already has `maxNumInboundPeers` inbound
 *   peers and the peer is not unconditional.
 * - `duplicate_ip`: a peer from the same IP is connected and
 *   `allowDuplicateIp` is false.
 * - `switch_stopped`: the switch stopped while the peer was being added.
 */
export type RejectionReason =
  | 'duplicate'
  | 'filtered'
  | 'filter_timeout'
  | 'auth_failure'
  | 'self'
  | 'incompatible'
  | 'node_info_invalid'
  | 'timeout'
  | 'handshake_failed'
  | 'too_many_handshakes'
  | 'too_many_connections'
  | 'too_many_from_ip'
  | 'closed'
  | 'inbound_limit'
  | 'duplicate_ip'
  | 'switch_stopped'

/** What a {@link RejectedError} knows about the rejected party. */
export interface RejectedErrorDetails {
  /** The peer's node ID, when known (authenticated or dialed). */
  id?: NodeId | undefined
  /** The peer's address: the one dialed, or `id@remote-ip:port` of an inbound connection. */
  addr?: NetAddress | undefined
  /** The remote `ip:port` of the socket, when there was one. */
  remote?: string | undefined
  /** The underlying error (a secret-connection, NodeInfo or filter error...). */
  cause?: unknown
}

/**
 * A connection or peer was turned away; `reason` says why and `cause` holds
 * the underlying error. The socket is always closed by the time this is
 * thrown or reported. The reference's `ErrRejected` and `ErrFilterTimeout`.
 */
export class RejectedError extends CometError {
  static readonly code = 'ERR_REJECTED'
  readonly reason: RejectionReason
  readonly id: NodeId | undefined
  readonly addr: NetAddress | undefined
  readonly remote: string | undefined

  constructor(reason: RejectionReason, message: string, details: RejectedErrorDetails = {}) {
    super(RejectedError.code, `${reason}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'RejectedError'
    this.reason = reason
    this.id = details.id
    this.addr = details.addr
    this.remote = details.remote
  }
}

/** The TCP connection to a peer could not be opened (refused, unreachable, or no answer within `dialTimeoutMs`). */
export class DialError extends CometError {
  static readonly code = 'ERR_DIAL'
  /** The address dialed. */
  readonly addr: NetAddress
  /** True when the dial time limit passed. */
  readonly timedOut: boolean
  constructor(addr: NetAddress, message: string, options: { cause?: unknown; timedOut?: boolean } = {}) {
    super(DialError.code, `dial ${addr.toString()} failed: ${message}`, { cause: options.cause })
    this.name = 'DialError'
    this.addr = addr
    this.timedOut = options.timedOut === true
  }
}

/** The transport is closed (or was never listening, for `accept`). */
export class TransportClosedError extends CometError {
  static readonly code = 'ERR_TRANSPORT_CLOSED'
  constructor(message = 'the transport is closed') {
    super(TransportClosedError.code, message)
    this.name = 'TransportClosedError'
  }
}

/** A dial was refused because the switch is dialing that node ID already, or has a peer with that ID or IP. */
export class AlreadyDialingOrConnectedError extends CometError {
  static readonly code = 'ERR_ALREADY_DIALING_OR_CONNECTED'
  readonly addr: NetAddress
  constructor(addr: NetAddress) {
    super(AlreadyDialingOrConnectedError.code, `already dialing or connected to ${addr.toString()}`)
    this.name = 'AlreadyDialingOrConnectedError'
    this.addr = addr
  }
}

/** Two reactors declare the same channel ID. */
export class ChannelConflictError extends CometError {
  static readonly code = 'ERR_CHANNEL_CONFLICT'
  readonly channelId: number
  constructor(channelId: number, existing: string, added: string) {
    super(
      ChannelConflictError.code,
      `channel 0x${channelId.toString(16).padStart(2, '0')} is used by reactor "${existing}"; reactor "${added}" cannot use it too`
    )
    this.name = 'ChannelConflictError'
    this.channelId = channelId
  }
}

/** A reactor with that name is already registered. */
export class DuplicateReactorError extends CometError {
  static readonly code = 'ERR_DUPLICATE_REACTOR'
  readonly reactorName: string
  constructor(name: string) {
    super(DuplicateReactorError.code, `a reactor named "${name}" is already registered`)
    this.name = 'DuplicateReactorError'
    this.reactorName = name
  }
}

/** The call is not allowed in the switch's current state (e.g. adding a reactor after start, dialing after stop). */
export class SwitchStateError extends CometError {
  static readonly code = 'ERR_SWITCH_STATE'
  constructor(message: string) {
    super(SwitchStateError.code, message)
    this.name = 'SwitchStateError'
  }
}

/** A reactor used `this.switch` before the switch called `setSwitch`. */
export class SwitchNotSetError extends CometError {
  static readonly code = 'ERR_SWITCH_NOT_SET'
  constructor(reactor: string) {
    super(SwitchNotSetError.code, `reactor ${reactor} is not attached to a switch; add it with switch.addReactor() first`)
    this.name = 'SwitchNotSetError'
  }
}

/** A reactor's `receive` (or `addPeer`) threw or rejected; the peer was stopped with this error. */
export class ReactorError extends CometError {
  static readonly code = 'ERR_REACTOR'
  readonly reactorName: string
  readonly channelId: number | undefined
  constructor(reactorName: string, what: string, cause: unknown, channelId?: number) {
    const detail = cause instanceof Error ? cause.message : String(cause)
    super(ReactorError.code, `reactor "${reactorName}" ${what} failed: ${detail}`, { cause })
    this.name = 'ReactorError'
    this.reactorName = reactorName
    this.channelId = channelId
  }
}
