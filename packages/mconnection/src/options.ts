import type { AbortOptions, Clock, CometError, Logger } from '@comet-p2p/types'
import type { ChannelStatus } from './channel.js'
import type { MConnectionConfig } from './config.js'
import type { FlowStatus } from './flow/monitor.js'
import type { ReceiveHandler } from './inbox.js'

/** Options of `MConnection`. */
export interface MConnectionOptions {
  /**
   * Called with each complete message, in order per channel. The array is a
   * copy owned by the callee (mid-sized ones are views into a shared slab,
   * as with Node's Buffer pool: use the view, not `message.buffer`). Return a promise to hold back the
   * channel's next message until it settles; while a channel's unhandled
   * bytes exceed its `recvBufferCapacity`, reading from the stream pauses.
   * A throw or rejection stops the connection with a `ReceiveHandlerError`.
   */
  onReceive: ReceiveHandler
  /** Called once when the connection stops for any reason other than `stop()` / `destroy()` without error. */
  onError?: ((error: CometError) => void) | undefined
  /** Overrides of `defaultMConnectionConfig`. */
  config?: Partial<MConnectionConfig> | undefined
  logger?: Logger | undefined
  /** Time source of rate limits, statistics and send deadlines (default: the system clock). */
  clock?: Clock | undefined
  /** Metrics hook: a packet of `bytes` wire bytes (length prefix included) was written for `channelId`. */
  onPacketSent?: ((channelId: number, bytes: number) => void) | undefined
  /** Metrics hook: a packet of `bytes` wire bytes was received on `channelId`. */
  onPacketReceived?: ((channelId: number, bytes: number) => void) | undefined
}

/**
 * Options of `MConnection.send`. For a per-call time limit shorter than
 * `sendTimeoutMs`, pass a signal such as `AbortSignal.timeout(ms)`.
 */
export type SendOptions = AbortOptions

/** Options of `MConnection.stop`. */
export interface StopOptions extends AbortOptions {
  /** Overrides `stopTimeoutMs` for this call. */
  timeoutMs?: number | undefined
}

/** A snapshot of a connection's traffic, as returned by `MConnection.status`. */
export interface ConnectionStatus {
  /** Time since the connection was created, ms. */
  durationMs: number
  sendMonitor: FlowStatus
  recvMonitor: FlowStatus
  channels: ChannelStatus[]
}
