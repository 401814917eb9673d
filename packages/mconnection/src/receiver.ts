import type { Readable } from 'node:stream'
import { CometError, type Clock } from '@comet-p2p/types'
import type { Channel } from './channel.js'
import { MalformedPacketError, UnknownChannelError, UnknownPacketTypeError } from './errors.js'
import { FlowMonitor } from './flow/monitor.js'
import { TokenBucket } from './flow/rate-limiter.js'
import { FrameReader } from './frame-reader.js'
import { Inbox, type ReceiveHandler } from './inbox.js'
import { uvarintSize } from './packet-codec.js'
import { decodePacketInto, newDecodedPacket, PacketKind } from './packet-decoder.js'

/** What the receive path reports to its connection. */
export interface ReceiverHooks {
  /** One or more pings arrived in the last chunk (answered with one pong, as the reference coalesces them). */
  onPing(): void
  onPong(): void
  /** A peer error, or the handler failed: the connection must stop. */
  onError(error: CometError): void
  /** Reading paused or resumed. */
  onFlowChange(paused: boolean, backpressure: boolean): void
  onPacketReceived: ((channelId: number, bytes: number) => void) | undefined
}

/**
 * The receive path: frames and decodes packets as chunks arrive, answers
 * control packets at once (they never wait behind undelivered messages),
 * reassembles messages and hands them to per-channel {@link Inbox}es. Reading
 * pauses while any inbox is over its bound (backpressure) or while the
 * receive rate is over its limit; bytes already read are still decoded, so
 * pings and pongs in them are handled.
 */
export class Receiver {
  readonly monitor: FlowMonitor
  readonly #stream: Readable
  readonly #bucket: TokenBucket
  readonly #reader: FrameReader
  readonly #decoded = newDecodedPacket()
  readonly #channels: readonly Channel[]
  /** The inbox of each channel, in the order of `#channels`. */
  readonly #inboxes: Inbox[]
  readonly #hooks: ReceiverHooks
  #overCount = 0
  #rateTimer: ReturnType<typeof setTimeout> | undefined
  #paused = false
  #pingSeen = false
  #closed = false

  constructor(
    stream: Readable,
    channels: readonly Channel[],
    maxPacketSize: number,
    recvRate: number,
    clock: Clock,
    handler: ReceiveHandler,
    hooks: ReceiverHooks
  ) {
    this.#stream = stream
    this.#hooks = hooks
    this.monitor = new FlowMonitor(clock)
    this.#bucket = new TokenBucket(recvRate, clock)
    this.#reader = new FrameReader(maxPacketSize)
    const onPressure = (over: boolean): void => {
      this.#overCount += over ? 1 : -1
      this.#updateFlow()
    }
    const onError = (error: CometError): void => hooks.onError(error)
    this.#channels = channels
    this.#inboxes = channels.map((channel) => new Inbox(channel.id, channel.desc.recvBufferCapacity, handler, onError, onPressure))
  }

  /** Bytes of received messages not yet handled, for a channel. */
  pendingBytes(channelId: number): number {
    const index = this.#channels.findIndex((channel) => channel.id === channelId)
    return index < 0 ? 0 : (this.#inboxes[index] as Inbox).pendingBytes
  }

  /** The 'data' listener. */
  readonly onData = (data: Uint8Array): void => {
    if (this.#closed) return
    // Views of a plain Uint8Array are cheaper to make than views of a Buffer.
    const chunk = Buffer.isBuffer(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data
    this.monitor.update(chunk.length)
    this.#bucket.consume(chunk.length)
    try {
      this.#reader.push(chunk, this.#onFrame)
    } catch (err) {
      this.#hooks.onError(err instanceof CometError ? err : new MalformedPacketError(String(err), { cause: err }))
      return
    }
    if (this.#closed) return
    if (this.#pingSeen) {
      this.#pingSeen = false
      this.#hooks.onPing()
    }
    if (this.#rateTimer === undefined) this.#armRateTimer()
  }

  /** After stop(): stop delivering, and read freely until the stream closes. */
  discardMessages(): void {
    for (const inbox of this.#inboxes) inbox.close()
    this.#overCount = 0
    this.#updateFlow()
  }

  /** Releases timers and inboxes; nothing is delivered afterwards. */
  close(): void {
    this.#closed = true
    if (this.#rateTimer !== undefined) clearTimeout(this.#rateTimer)
    this.#rateTimer = undefined
    for (const inbox of this.#inboxes) inbox.close()
  }

  readonly #onFrame = (buf: Uint8Array, start: number, end: number): boolean => {
    const packet = this.#decoded
    decodePacketInto(buf, start, end, packet)
    switch (packet.kind) {
      case PacketKind.Msg: {
        const id = packet.channelId
        const channels = this.#channels
        let index = 0
        while (index < channels.length && (channels[index] as Channel).id !== id) index++
        if (index === channels.length) throw new UnknownChannelError(id)
        const channel = channels[index] as Channel
        const size = end - start + uvarintSize(end - start)
        channel.receivedBytes += size
        this.#hooks.onPacketReceived?.(id, size)
        const message = channel.receivePacket(buf, packet.dataStart, packet.dataEnd, packet.eof)
        if (message !== undefined) (this.#inboxes[index] as Inbox).deliver(message)
        return !this.#closed
      }
      case PacketKind.Ping:
        this.#pingSeen = true
        return true
      case PacketKind.Pong:
        this.#hooks.onPong()
        return !this.#closed
      default:
        throw new UnknownPacketTypeError()
    }
  }

  #armRateTimer(): void {
    const delay = this.#bucket.delayMs()
    if (delay > 0) {
      this.#rateTimer = setTimeout(this.#onRateTimer, delay)
      this.#updateFlow()
    }
  }

  readonly #onRateTimer = (): void => {
    this.#rateTimer = undefined
    if (this.#closed) return
    this.#armRateTimer()
    this.#updateFlow()
  }

  #updateFlow(): void {
    if (this.#closed) return
    const pause = this.#overCount > 0 || this.#rateTimer !== undefined
    if (pause === this.#paused) {
      if (pause) this.#hooks.onFlowChange(true, this.#overCount > 0)
      return
    }
    this.#paused = pause
    if (pause) this.#stream.pause()
    else this.#stream.resume()
    this.#hooks.onFlowChange(pause, this.#overCount > 0)
  }
}
