import type { Duplex } from 'node:stream'
import { InvalidArgumentError, silentLogger, systemClock, type Clock, type CometError, type Logger } from '@comet-p2p/types'
import { Channel, findChannel } from './channel.js'
import { resolveChannels, resolveConfig, isUnlimited, type ChannelDescriptor, type MConnectionConfig } from './config.js'
import { ConnectionClosedError, formatChannel, PongTimeoutError, TransportError, WriteStalledError } from './errors.js'
import { Keepalive } from './keepalive.js'
import type { ConnectionStatus, MConnectionOptions, SendOptions, StopOptions } from './options.js'
import { maxPacketMsgSize } from './packet-codec.js'
import { Receiver } from './receiver.js'
import { Sender } from './sender.js'

type State = 'idle' | 'running' | 'stopping' | 'closed'

const REFUSED: Promise<boolean> = Promise.resolve(false)

/**
 * A CometBFT multiplexed connection over any duplex byte stream (a TCP
 * socket, a SecretConnection...): prioritised channels, messages cut into
 * packets of at most `maxPacketMsgPayloadSize` bytes, send and receive rate
 * limits, ping/pong keepalive. Wire-compatible with CometBFT v0.34.
 *
 * Nothing is read or sent before {@link start}. The connection stops on the
 * first error (reported once to `onError`, the stream destroyed, every timer
 * and listener released), on {@link stop} (queued messages are sent first)
 * or on {@link destroy}.
 */
export class MConnection {
  readonly #stream: Duplex
  readonly #config: MConnectionConfig
  readonly #channels: Channel[]
  readonly #onError: ((error: CometError) => void) | undefined
  readonly #logger: Logger
  readonly #clock: Clock
  readonly #created: number
  readonly #sender: Sender
  readonly #receiver: Receiver
  readonly #keepalive: Keepalive
  #state: State = 'idle'
  #stopTimer: ReturnType<typeof setTimeout> | undefined
  #stallTimer: ReturnType<typeof setTimeout> | undefined
  #stopped: Promise<void> | undefined
  #resolveStopped: (() => void) | undefined

  constructor(stream: Duplex, channels: readonly ChannelDescriptor[], options: MConnectionOptions) {
    if (typeof options.onReceive !== 'function') throw new InvalidArgumentError('onReceive must be a function')
    this.#stream = stream
    const config = resolveConfig(options.config)
    this.#config = config
    this.#onError = options.onError
    this.#logger = options.logger ?? silentLogger
    this.#clock = options.clock ?? systemClock
    this.#created = this.#clock.now()
    const descriptors = resolveChannels(channels)
    this.#channels = descriptors.map((d) => new Channel(d, config.maxPacketMsgPayloadSize, config.sendTimeoutMs, this.#clock))
    this.#sender = new Sender(stream, this.#channels, {
      sendRate: isUnlimited(config.sendRate) ? Number.POSITIVE_INFINITY : config.sendRate,
      flushThrottleMs: config.flushThrottleMs,
      clock: this.#clock,
      onPacketSent: guardHook(options.onPacketSent, this.#logger)
    })
    this.#receiver = new Receiver(
      stream,
      this.#channels,
      maxPacketMsgSize(config.maxPacketMsgPayloadSize),
      isUnlimited(config.recvRate) ? Number.POSITIVE_INFINITY : config.recvRate,
      this.#clock,
      options.onReceive,
      {
        onPing: () => this.#sender.sendPong(),
        onPong: () => this.#keepalive.pongReceived(),
        onError: (error) => this.#fail(error),
        onFlowChange: (paused, backpressure) => this.#keepalive.setReceiveState(paused, backpressure),
        onPacketReceived: guardHook(options.onPacketReceived, this.#logger)
      }
    )
    if (config.writeStallTimeoutMs > 0) this.#sender.writer.onBlocked = this.#onBlocked
    this.#keepalive = new Keepalive(config.pingIntervalMs, config.pongTimeoutMs, {
      sendPing: () => this.#sender.sendPing(),
      sendPong: () => this.#sender.sendPong(),
      onTimeout: () => this.#fail(new PongTimeoutError(config.pongTimeoutMs))
    })
  }

  /** The effective configuration. */
  get config(): Readonly<MConnectionConfig> {
    return this.#config
  }

  /** True between {@link start} and the beginning of a stop. */
  get isRunning(): boolean {
    return this.#state === 'running'
  }

  /** Starts reading, sending and pinging. Throws a `ConnectionClosedError` if the connection already stopped; a no-op while running. */
  start(): void {
    if (this.#state === 'running') return
    if (this.#state !== 'idle') throw new ConnectionClosedError('cannot start a connection that has stopped')
    this.#state = 'running'
    const stream = this.#stream
    stream.on('data', this.#receiver.onData)
    stream.on('end', this.#onEnd)
    stream.on('error', this.#onStreamError)
    stream.on('close', this.#onClose)
    stream.on('drain', this.#onDrain)
    this.#keepalive.start()
    if (stream.destroyed || stream.readableEnded) this.#fail(new ConnectionClosedError('the stream was already closed'))
    else stream.resume()
  }

  /**
   * Queues `message` on a channel, waiting while the channel's queue is full.
   * Resolves `true` once queued; `false` (as the reference's `Send`) if the
   * connection is not running, the channel is unknown, `sendTimeoutMs`
   * passed, or the connection stopped while waiting. Rejects with an
   * `AbortError` when `options.signal` fires first, with an
   * `InvalidArgumentError` if `message` is not a `Uint8Array`. Do not modify
   * `message` afterwards: it is sent from the caller's array.
   */
  send(channelId: number, message: Uint8Array, options?: SendOptions): Promise<boolean> {
    if (!(message instanceof Uint8Array)) return Promise.reject(new InvalidArgumentError('message must be a Uint8Array'))
    const channel = this.#channelFor(channelId, message)
    if (channel === undefined) return REFUSED
    const queued = channel.queue.send(message, options?.signal)
    this.#sender.schedule()
    return queued
  }

  /**
   * Queues `message` if the channel's queue has room; returns false at once
   * otherwise (or if not running / unknown channel). Throws an
   * `InvalidArgumentError` if `message` is not a `Uint8Array`.
   */
  trySend(channelId: number, message: Uint8Array): boolean {
    const channel = this.#channelFor(channelId, message)
    if (channel === undefined || !channel.queue.trySend(message)) return false
    this.#sender.schedule()
    return true
  }

  /** True if {@link trySend} on the channel would succeed now. */
  canSend(channelId: number): boolean {
    // The reference compares with the default capacity (1) whatever the
    // channel's own; this uses the channel's capacity.
    return this.#state === 'running' && findChannel(this.#channels, channelId)?.queue.hasRoom() === true
  }

  /** Writes out every packet encoded so far without waiting for the flush throttle. */
  flush(): void {
    if (this.#state === 'running' || this.#state === 'stopping') this.#sender.writer.flush()
  }

  /**
   * Stops gracefully, like the reference's `FlushStop`: refuses new
   * messages (waiting `send`s resolve `false`), sends everything already
   * queued, flushes, ends the stream and closes it. Received messages are no
   * longer delivered. Idempotent; resolves when closed (never rejects).
   * After `stopTimeoutMs` (or `options.timeoutMs`), or when `options.signal`
   * fires, it closes at once, dropping what is left.
   */
  stop(options?: StopOptions): Promise<void> {
    if (this.#state === 'closed') return Promise.resolve()
    if (this.#state === 'idle') {
      this.#teardown()
      return Promise.resolve()
    }
    if (this.#stopped !== undefined) return this.#stopped
    this.#state = 'stopping'
    this.#stopped = new Promise<void>((resolve) => (this.#resolveStopped = resolve))
    this.#keepalive.stop()
    this.#receiver.discardMessages()
    const signal = options?.signal
    if (signal?.aborted === true) {
      this.#teardown()
      return this.#stopped
    }
    const onAbort = (): void => this.#teardown()
    signal?.addEventListener('abort', onAbort, { once: true })
    void this.#stopped.then(() => signal?.removeEventListener('abort', onAbort))
    const timeoutMs = options?.timeoutMs ?? this.#config.stopTimeoutMs
    this.#stopTimer = setTimeout(() => {
      this.#logger.debug('stop timed out; closing without flushing the rest', { timeoutMs })
      this.#teardown()
    }, timeoutMs)
    this.#sender.finish(() => this.#stream.end(() => this.#teardown()))
    return this.#stopped
  }

  /** Closes at once, dropping whatever is queued. With an `error`, it is reported to `onError` (once, as any other). */
  destroy(error?: CometError): void {
    if (error !== undefined) this.#fail(error)
    else this.#teardown()
  }

  /** Traffic statistics of the connection and of each channel. */
  status(): ConnectionStatus {
    this.#sender.decay()
    return {
      durationMs: this.#clock.now() - this.#created,
      sendMonitor: this.#sender.monitor.status(),
      recvMonitor: this.#receiver.monitor.status(),
      channels: this.#channels.map((channel) => ({
        id: channel.id,
        priority: channel.priority,
        sendQueueCapacity: channel.queue.capacity,
        sendQueueSize: channel.sendQueueSize,
        recentlySent: channel.recentlySent,
        sentBytes: channel.sentBytes,
        receivedBytes: channel.receivedBytes,
        recvPendingBytes: this.#receiver.pendingBytes(channel.id)
      }))
    }
  }

  #channelFor(channelId: number, message: Uint8Array): Channel | undefined {
    if (!(message instanceof Uint8Array)) throw new InvalidArgumentError('message must be a Uint8Array')
    if (this.#state !== 'running') return undefined
    const channel = findChannel(this.#channels, channelId)
    if (channel === undefined) this.#logger.error('cannot send on an unknown channel', { channel: formatChannel(channelId) })
    return channel
  }

  /** Stops for an error: reported once, unless a stop or destroy already began. */
  #fail(error: CometError): void {
    if (this.#state === 'closed') return
    const report = this.#state === 'running' || this.#state === 'idle'
    this.#logger.debug('connection failed', { code: error.code, error: error.message })
    this.#teardown()
    if (!report || this.#onError === undefined) return
    try {
      this.#onError(error)
    } catch (err) {
      this.#logger.error('onError threw', { error: String(err) })
    }
  }

  /** Releases everything: timers, listeners, queues, the stream. Idempotent. */
  #teardown(): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.#keepalive.stop()
    this.#sender.close()
    this.#receiver.close()
    if (this.#stopTimer !== undefined) clearTimeout(this.#stopTimer)
    this.#stopTimer = undefined
    this.#clearStallTimer()
    const stream = this.#stream
    stream.off('data', this.#receiver.onData)
    stream.off('end', this.#onEnd)
    stream.off('drain', this.#onDrain)
    // 'error' and 'close' stay until the stream has closed, so a late error
    // from it cannot go unhandled.
    if (stream.closed) this.#detachLast()
    stream.destroy()
    this.#resolveStopped?.()
  }

  #detachLast(): void {
    this.#stream.off('error', this.#onStreamError)
    this.#stream.off('close', this.#onClose)
  }

  readonly #onEnd = (): void => {
    if (this.#state === 'running') this.#fail(new ConnectionClosedError())
  }

  readonly #onStreamError = (err: unknown): void => {
    this.#fail(new TransportError(err))
  }

  readonly #onClose = (): void => {
    if (this.#state === 'closed') this.#detachLast()
    else this.#fail(new ConnectionClosedError('the stream closed'))
  }

  readonly #onDrain = (): void => {
    this.#clearStallTimer()
    this.#sender.drained()
  }

  /** The stream's buffer is full: it must drain within writeStallTimeoutMs. */
  readonly #onBlocked = (): void => {
    if (this.#stallTimer !== undefined || this.#state === 'closed') return
    const timeoutMs = this.#config.writeStallTimeoutMs
    this.#stallTimer = setTimeout(() => {
      this.#stallTimer = undefined
      this.#fail(new WriteStalledError(timeoutMs))
    }, timeoutMs)
  }

  #clearStallTimer(): void {
    if (this.#stallTimer !== undefined) clearTimeout(this.#stallTimer)
    this.#stallTimer = undefined
  }
}

/** Wraps a metrics hook so that a throwing hook is logged instead of breaking the connection. */
function guardHook(
  hook: ((channelId: number, bytes: number) => void) | undefined,
  logger: Logger
): ((channelId: number, bytes: number) => void) | undefined {
  if (hook === undefined) return undefined
  return (channelId, bytes) => {
    try {
      hook(channelId, bytes)
    } catch (err) {
      logger.error('metrics hook threw', { error: String(err) })
    }
  }
}
