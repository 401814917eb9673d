import { InvalidArgumentError } from '@comet-p2p/types'

/**
 * Tunables of an {@link MConnection}. Every default is the reference's
 * (CometBFT v0.34 `DefaultMConnConfig` and the constants next to it).
 * Durations are in milliseconds, rates in bytes per second.
 */
export interface MConnectionConfig {
  /** Outgoing byte rate limit. `0` (any value below 1, as in the reference) or `Infinity` means unlimited. Default 512000. */
  sendRate: number
  /** Incoming byte rate limit; reading from the stream pauses while over it. Below 1 (e.g. `0`) or `Infinity` means unlimited. Default 512000. */
  recvRate: number
  /** Largest number of message bytes carried by one packet. Default 1024. */
  maxPacketMsgPayloadSize: number
  /**
   * Flush throttle: at most one flush of buffered packets per period (besides
   * flushes of 64 KiB and of pings/pongs). A packet written when nothing was
   * flushed for a whole period is flushed at once, at the end of its send
   * pass (leading edge); packets that follow a flush within the period wait
   * until it ends. So no packet waits longer than this, sparse messages do
   * not wait at all, and under load small writes are still batched. The
   * reference instead makes the first unflushed packet wait a whole period.
   * `0` flushes at the end of every send pass. Default 100.
   */
  flushThrottleMs: number
  /** Time between pings. Default 60000. */
  pingIntervalMs: number
  /** Time allowed for a pong after a ping; must be below `pingIntervalMs`. Default 45000. */
  pongTimeoutMs: number
  /** Longest time `send` waits for room in a full channel queue before resolving `false`. Default 10000. */
  sendTimeoutMs: number
  /** Longest time `stop()` spends flushing queued messages before it closes abruptly. Not in the reference (its FlushStop can wait forever). Default 10000. */
  stopTimeoutMs: number
  /**
   * Longest time the stream may refuse more data (a write returned false and
   * no 'drain' followed) before the connection stops with a
   * `WriteStalledError`: a peer that never reads is dropped instead of
   * holding the connection, its queues and its buffers forever (unsolicited
   * pongs keep the keepalive satisfied without reading). `0` disables it.
   * Not in the reference. Default 60000 (six default send timeouts).
   */
  writeStallTimeoutMs: number
}

/** The reference defaults. */
export const defaultMConnectionConfig: Readonly<MConnectionConfig> = Object.freeze({
  sendRate: 512_000,
  recvRate: 512_000,
  maxPacketMsgPayloadSize: 1024,
  flushThrottleMs: 100,
  pingIntervalMs: 60_000,
  pongTimeoutMs: 45_000,
  sendTimeoutMs: 10_000,
  stopTimeoutMs: 10_000,
  writeStallTimeoutMs: 60_000
})

/** Default `sendQueueCapacity` of a channel (messages). */
export const DEFAULT_SEND_QUEUE_CAPACITY = 1
/** Default `recvBufferCapacity` of a channel (bytes). */
export const DEFAULT_RECV_BUFFER_CAPACITY = 4096
/** Default `recvMessageCapacity` of a channel (bytes, 21 MiB). */
export const DEFAULT_RECV_MESSAGE_CAPACITY = 22_020_096

/** Declares one channel of a connection. */
export interface ChannelDescriptor {
  /** Channel id, 0-255, unique within the connection. */
  id: number
  /** Relative share of the send bandwidth under contention; a positive integer (the reference has no default either). */
  priority: number
  /** Messages that may wait in the send queue besides the one being sent. Default 1. */
  sendQueueCapacity?: number | undefined
  /**
   * Bytes of received messages that may wait for (or be in) `onReceive`
   * before reading from the stream pauses. Default 4096. (In the reference
   * this is only the initial size of the reassembly buffer.)
   */
  recvBufferCapacity?: number | undefined
  /** Largest message accepted on this channel, in bytes; a larger one stops the connection. Default 22020096. */
  recvMessageCapacity?: number | undefined
}

/** A descriptor with every default applied. */
export type ResolvedChannelDescriptor = Required<{ [K in keyof ChannelDescriptor]: NonNullable<ChannelDescriptor[K]> }>

/** Fills defaults and validates a configuration. */
export function resolveConfig(config: Partial<MConnectionConfig> | undefined): MConnectionConfig {
  const c: MConnectionConfig = { ...defaultMConnectionConfig }
  for (const [key, value] of Object.entries(config ?? {}) as [keyof MConnectionConfig, number | undefined][]) {
    if (value !== undefined) c[key] = value
  }
  rate('sendRate', c.sendRate)
  rate('recvRate', c.recvRate)
  integer('maxPacketMsgPayloadSize', c.maxPacketMsgPayloadSize, 1)
  duration('flushThrottleMs', c.flushThrottleMs, 0)
  duration('pingIntervalMs', c.pingIntervalMs, 1)
  duration('pongTimeoutMs', c.pongTimeoutMs, 1)
  duration('sendTimeoutMs', c.sendTimeoutMs, 0)
  duration('stopTimeoutMs', c.stopTimeoutMs, 0)
  duration('writeStallTimeoutMs', c.writeStallTimeoutMs, 0)
  // Same rule as the reference (which panics): a pong timer still running
  // when the next ping goes out would be ambiguous.
  if (c.pongTimeoutMs >= c.pingIntervalMs) {
    throw new InvalidArgumentError(`pongTimeoutMs (${c.pongTimeoutMs}) must be less than pingIntervalMs (${c.pingIntervalMs})`)
  }
  return c
}

/** Fills defaults and validates channel descriptors (ids unique, 0-255). */
export function resolveChannels(descriptors: readonly ChannelDescriptor[]): ResolvedChannelDescriptor[] {
  const seen = new Set<number>()
  return descriptors.map((d) => {
    integer('channel id', d.id, 0, 255)
    if (seen.has(d.id)) throw new InvalidArgumentError(`duplicate channel id ${d.id}`)
    seen.add(d.id)
    const resolved: ResolvedChannelDescriptor = {
      id: d.id,
      priority: d.priority,
      sendQueueCapacity: d.sendQueueCapacity ?? DEFAULT_SEND_QUEUE_CAPACITY,
      recvBufferCapacity: d.recvBufferCapacity ?? DEFAULT_RECV_BUFFER_CAPACITY,
      recvMessageCapacity: d.recvMessageCapacity ?? DEFAULT_RECV_MESSAGE_CAPACITY
    }
    integer(`priority of channel ${d.id}`, resolved.priority, 1)
    integer(`sendQueueCapacity of channel ${d.id}`, resolved.sendQueueCapacity, 1)
    integer(`recvBufferCapacity of channel ${d.id}`, resolved.recvBufferCapacity, 1)
    integer(`recvMessageCapacity of channel ${d.id}`, resolved.recvMessageCapacity, 0)
    return resolved
  })
}

function integer(what: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${what} must be an integer in [${min}, ${max}], got ${value}`)
  }
}

function duration(what: string, value: number, min: number): void {
  if (!Number.isFinite(value) || value < min) throw new InvalidArgumentError(`${what} must be a finite number >= ${min}, got ${value}`)
}

function rate(what: string, value: number): void {
  if (Number.isNaN(value) || value < 0) throw new InvalidArgumentError(`${what} must be >= 0 (0 or Infinity: unlimited), got ${value}`)
}

/** True when a configured rate means "no limit". */
export function isUnlimited(rate: number): boolean {
  return rate < 1 || rate === Number.POSITIVE_INFINITY
}
