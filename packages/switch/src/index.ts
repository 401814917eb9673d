/**
 * @packageDocumentation
 * The CometBFT switch: a TCP transport that upgrades connections with the
 * secret connection and the NodeInfo handshake, peers running an
 * MConnection, the reactor API, and peer management (inbound limits,
 * persistent and unconditional peers, filters, reconnects). Wire-compatible
 * with CometBFT v0.34.
 */
export { Switch } from './switch.js'
export type { SwitchOptions, SwitchNodeInfo, SwitchEvents, PeerRemovedEvent, PeerRejectedEvent } from './switch-options.js'
export { defaultSwitchConfig } from './config.js'
export type { SwitchConfig, SwitchConfigInput } from './config.js'
export type { SwitchLike, SwitchAddrBook, PeerCounts, BroadcastResult, DialPeerOptions } from './switch-like.js'
export { BaseReactor } from './reactor.js'
export type { Reactor, Envelope } from './reactor.js'
export type { Peer, PeerSetLike, PeerFilter } from './peer/peer.js'
export { PeerSet } from './peer/peer-set.js'
export { TcpTransport } from './transport/tcp-transport.js'
export { defaultTransportLimits } from './transport/options.js'
export type { TcpTransportOptions, ResolvedTransportLimits } from './transport/options.js'
export type { Transport, UpgradedConnection, ConnFilter, ListenAddress, TransportEvents } from './transport/transport.js'
export type { ConnSetLike } from './transport/conn-set.js'
export { reconnectSchedule } from './reconnect.js'
export type { ReconnectSettings } from './reconnect.js'
export {
  RejectedError,
  DialError,
  TransportClosedError,
  AlreadyDialingOrConnectedError,
  ChannelConflictError,
  DuplicateReactorError,
  SwitchStateError,
  SwitchNotSetError,
  ReactorError
} from './errors.js'
export type { RejectionReason, RejectedErrorDetails } from './errors.js'
export type { ChannelDescriptor } from '@comet-p2p/mconnection'
