/**
 * @packageDocumentation
 * The CometBFT multiplexed connection (`MConnection`): prioritised channels
 * over one duplex stream, messages cut into packets, send and receive rate
 * limits, ping/pong keepalive. Wire-compatible with CometBFT v0.34.
 */
export { MConnection } from './mconnection.js'
export type { MConnectionOptions, SendOptions, StopOptions, ConnectionStatus } from './options.js'
export type { ReceiveHandler } from './inbox.js'
export type { ChannelStatus } from './channel.js'
export type { FlowStatus } from './flow/monitor.js'
export {
  defaultMConnectionConfig,
  DEFAULT_SEND_QUEUE_CAPACITY,
  DEFAULT_RECV_BUFFER_CAPACITY,
  DEFAULT_RECV_MESSAGE_CAPACITY
} from './config.js'
export type { MConnectionConfig, ChannelDescriptor } from './config.js'
export { maxPacketMsgSize } from './packet-codec.js'
export {
  MalformedPacketError,
  UnknownPacketTypeError,
  UnknownChannelError,
  PacketTooLargeError,
  MessageOverCapacityError,
  PongTimeoutError,
  WriteStalledError,
  ConnectionClosedError,
  TransportError,
  ReceiveHandlerError
} from './errors.js'
