import { CometError } from '@comet-p2p/types'

/*
 * One class per way an MConnection can end other than a local stop(). Each is
 * handed to `onError` exactly once. Match on `code` (stable) or `instanceof`.
 */

/** A packet from the peer is not valid protobuf, or a field has the wrong wire type. */
export class MalformedPacketError extends CometError {
  static readonly code = 'ERR_MALFORMED_PACKET'
  constructor(message: string, options?: ErrorOptions) {
    super(MalformedPacketError.code, message, options)
    this.name = 'MalformedPacketError'
  }
}

/** A packet from the peer decodes but is none of ping, pong or msg (for example the empty packet `00`). */
export class UnknownPacketTypeError extends CometError {
  static readonly code = 'ERR_UNKNOWN_PACKET_TYPE'
  constructor(message = 'unknown packet type: none of ping, pong or msg is set') {
    super(UnknownPacketTypeError.code, message)
    this.name = 'UnknownPacketTypeError'
  }
}

/** The peer sent a message on a channel this connection does not have (including ids outside 0-255). */
export class UnknownChannelError extends CometError {
  static readonly code = 'ERR_UNKNOWN_CHANNEL'
  /** The channel id as it was on the wire (an int32, so possibly negative or above 255). */
  readonly channelId: number
  constructor(channelId: number) {
    super(UnknownChannelError.code, `unknown channel ${formatChannel(channelId)}`)
    this.name = 'UnknownChannelError'
    this.channelId = channelId
  }
}

/** A length prefix from the peer announces a packet larger than the largest packet we accept. */
export class PacketTooLargeError extends CometError {
  static readonly code = 'ERR_PACKET_TOO_LARGE'
  /** The announced size in bytes (as far as it was read when it passed the limit). */
  readonly size: number
  /** The largest packet accepted, in bytes. */
  readonly limit: number
  constructor(size: number, limit: number) {
    super(PacketTooLargeError.code, `packet of ${size} bytes exceeds the limit of ${limit} bytes`)
    this.name = 'PacketTooLargeError'
    this.size = size
    this.limit = limit
  }
}

/** A message being reassembled grew past its channel's `recvMessageCapacity`. */
export class MessageOverCapacityError extends CometError {
  static readonly code = 'ERR_MESSAGE_OVER_CAPACITY'
  readonly channelId: number
  /** Bytes the message would hold with the packet that broke the limit. */
  readonly size: number
  /** The channel's `recvMessageCapacity`. */
  readonly capacity: number
  constructor(channelId: number, size: number, capacity: number) {
    super(
      MessageOverCapacityError.code,
      `message on channel ${formatChannel(channelId)} exceeds the receive capacity: ${size} > ${capacity} bytes`
    )
    this.name = 'MessageOverCapacityError'
    this.channelId = channelId
    this.size = size
    this.capacity = capacity
  }
}

/** The peer did not answer a ping within `pongTimeoutMs`. */
export class PongTimeoutError extends CometError {
  static readonly code = 'ERR_PONG_TIMEOUT'
  constructor(timeoutMs: number) {
    super(PongTimeoutError.code, `no pong within ${timeoutMs} ms of a ping`)
    this.name = 'PongTimeoutError'
  }
}

/**
 * The stream refused more data for `writeStallTimeoutMs` (a write returned
 * false and no 'drain' followed): the peer does not read what we send.
 */
export class WriteStalledError extends CometError {
  static readonly code = 'ERR_WRITE_STALLED'
  /** The configured `writeStallTimeoutMs`. */
  readonly timeoutMs: number
  constructor(timeoutMs: number) {
    super(WriteStalledError.code, `the peer read nothing of what we sent for ${timeoutMs} ms`)
    this.name = 'WriteStalledError'
    this.timeoutMs = timeoutMs
  }
}

/** The underlying stream ended or closed while the connection was running (usually: the peer hung up). */
export class ConnectionClosedError extends CometError {
  static readonly code = 'ERR_CONNECTION_CLOSED'
  constructor(message = 'the connection was closed by the peer', options?: ErrorOptions) {
    super(ConnectionClosedError.code, message, options)
    this.name = 'ConnectionClosedError'
  }
}

/** The underlying stream failed (reset, write after close, decryption failure...); `cause` holds its error. */
export class TransportError extends CometError {
  static readonly code = 'ERR_TRANSPORT'
  constructor(cause: unknown) {
    super(TransportError.code, `the underlying stream failed: ${describe(cause)}`, { cause })
    this.name = 'TransportError'
  }
}

/** The `onReceive` callback threw or its promise rejected; `cause` holds what it threw. */
export class ReceiveHandlerError extends CometError {
  static readonly code = 'ERR_RECEIVE_HANDLER'
  readonly channelId: number
  constructor(channelId: number, cause: unknown) {
    super(ReceiveHandlerError.code, `onReceive failed for channel ${formatChannel(channelId)}: ${describe(cause)}`, { cause })
    this.name = 'ReceiveHandlerError'
    this.channelId = channelId
  }
}

/** Channel ids print as hex in logs and errors, like the reference does. */
export function formatChannel(channelId: number): string {
  return channelId < 0 ? `-0x${(-channelId).toString(16)}` : `0x${channelId.toString(16).padStart(2, '0')}`
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause)
}
