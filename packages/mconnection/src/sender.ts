import type { Writable } from 'node:stream'
import type { Clock } from '@comet-p2p/types'
import type { Channel } from './channel.js'
import { FlowMonitor } from './flow/monitor.js'
import { TokenBucket } from './flow/rate-limiter.js'
import { CONTROL_PACKET_SIZE, writePing, writePong } from './packet-codec.js'
import { Scheduler } from './scheduler.js'
import { PacketWriter } from './writer.js'

/** Packets sent between two rate-limit checks (the reference's numBatchPacketMsgs). */
export const BATCH_PACKETS = 10
/**
 * Bytes encoded in back-to-back passes (each started from a microtask) after
 * which the next pass waits for a macrotask, so a producer that refills
 * queues from promise callbacks cannot starve timers and I/O.
 */
const TICK_BUDGET = 256 * 1024

/**
 * The send path: cuts queued messages into packets, channel by channel as the
 * {@link Scheduler} picks them, under the send rate limit, into a
 * {@link PacketWriter}. Runs in passes: one is scheduled (as a microtask)
 * when a message is queued and runs until queues are empty, the stream
 * wants a 'drain', or the rate limit says wait.
 */
export class Sender {
  readonly writer: PacketWriter
  readonly monitor: FlowMonitor
  readonly #channels: readonly Channel[]
  readonly #scheduler: Scheduler
  readonly #bucket: TokenBucket
  readonly #clock: Clock
  readonly #onPacketSent: ((channelId: number, bytes: number) => void) | undefined
  /** Called after a pass that left nothing to send, while stopping. */
  #onIdle: (() => void) | undefined
  #scheduled = false
  #tickBytes = 0
  #wakeTimer: ReturnType<typeof setTimeout> | undefined
  #immediate: ReturnType<typeof setImmediate> | undefined
  #closed = false

  constructor(
    stream: Writable,
    channels: readonly Channel[],
    options: { sendRate: number; flushThrottleMs: number; clock: Clock; onPacketSent: ((channelId: number, bytes: number) => void) | undefined }
  ) {
    this.#channels = channels
    this.writer = new PacketWriter(stream, options.flushThrottleMs, options.clock)
    this.monitor = new FlowMonitor(options.clock)
    this.#scheduler = new Scheduler(channels, options.clock)
    this.#bucket = new TokenBucket(options.sendRate, options.clock)
    this.#clock = options.clock
    this.#onPacketSent = options.onPacketSent
  }

  /** Applies pending `recentlySent` decay (for status reports). */
  decay(): void {
    this.#scheduler.decay()
  }

  /** Makes sure a pass runs soon. */
  schedule(): void {
    if (this.#scheduled || this.#closed) return
    this.#scheduled = true
    if (this.#tickBytes < TICK_BUDGET) queueMicrotask(this.#pass)
    else this.#immediate = setImmediate(this.#nextTick)
  }

  /** The stream drained: data packets may flow again. */
  drained(): void {
    this.writer.needDrain = false
    this.schedule()
  }

  /** Writes a ping and flushes at once. */
  sendPing(): void {
    this.#control(writePing)
  }

  /** Writes a pong and flushes at once. */
  sendPong(): void {
    this.#control(writePong)
  }

  /** Refuses new messages, sends the queued ones, then calls `onIdle` (once everything is handed to the stream). */
  finish(onIdle: () => void): void {
    for (const channel of this.#channels) channel.queue.close()
    this.#onIdle = onIdle
    this.schedule()
  }

  /** Stops timers; whatever is unsent is dropped. */
  close(): void {
    this.#closed = true
    this.#onIdle = undefined
    if (this.#wakeTimer !== undefined) clearTimeout(this.#wakeTimer)
    if (this.#immediate !== undefined) clearImmediate(this.#immediate)
    this.#wakeTimer = this.#immediate = undefined
    this.writer.close()
    for (const channel of this.#channels) {
      channel.queue.close()
      channel.queue.clear()
      channel.reset()
    }
  }

  #control(write: (target: Uint8Array, pos: number) => number): void {
    if (this.#closed) return
    const writer = this.writer
    writer.ensure(CONTROL_PACKET_SIZE)
    writer.end = write(writer.buf, writer.end)
    this.#bucket.consume(CONTROL_PACKET_SIZE)
    this.monitor.update(CONTROL_PACKET_SIZE)
    writer.flush()
  }

  readonly #nextTick = (): void => {
    this.#immediate = undefined
    this.#tickBytes = 0
    this.#pass()
  }

  readonly #wake = (): void => {
    this.#wakeTimer = undefined
    this.#tickBytes = 0
    this.#pass()
  }

  readonly #pass = (): void => {
    this.#scheduled = false
    if (this.#closed || this.writer.needDrain || this.#wakeTimer !== undefined) return
    const now = this.#clock.now()
    this.#scheduler.decay(now)
    const writer = this.writer
    const scheduler = this.#scheduler
    const onPacketSent = this.#onPacketSent
    let exhausted = false
    let passBytes = 0
    for (;;) {
      const delay = this.#bucket.delayMs()
      if (delay > 0) {
        this.#wakeTimer = setTimeout(this.#wake, delay)
        break
      }
      let batch = 0
      for (let i = 0; i < BATCH_PACKETS; i++) {
        const channel = scheduler.next()
        if (channel === undefined) {
          exhausted = true
          break
        }
        writer.ensure(channel.maxWireSize)
        const start = writer.end
        writer.end = channel.writeNextPacket(writer.buf, start)
        batch += writer.end - start
        onPacketSent?.(channel.id, writer.end - start)
      }
      if (batch > 0) {
        this.#bucket.consume(batch)
        passBytes += batch
        this.#tickBytes += batch
        writer.appended(now)
      }
      if (exhausted || writer.needDrain) break
      if (this.#tickBytes >= TICK_BUDGET) {
        this.schedule()
        break
      }
    }
    if (passBytes > 0) this.monitor.update(passBytes, now)
    writer.passEnded()
    if (exhausted && this.#onIdle !== undefined) {
      writer.flush()
      const onIdle = this.#onIdle
      this.#onIdle = undefined
      onIdle()
    }
  }
}
