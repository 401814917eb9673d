import type { Clock } from '@comet-p2p/types'
import type { ResolvedChannelDescriptor } from './config.js'
import { MessageOverCapacityError } from './errors.js'
import { copyMessage } from './message-copy.js'
import { delimitedPacketMsgSize, eofPayloadLimit, writePacketMsg } from './packet-codec.js'
import { SendQueue } from './send-queue.js'

/** Per-channel figures reported by `MConnection.status()`. */
export interface ChannelStatus {
  id: number
  priority: number
  sendQueueCapacity: number
  /** Messages queued or being sent (counted like the reference: the one being cut into packets included). */
  sendQueueSize: number
  /** Wire bytes sent recently; decays by 20% every 2 s. The scheduler serves the lowest `recentlySent / priority` first. */
  recentlySent: number
  /** Wire bytes of packets sent / received on this channel since the start. */
  sentBytes: number
  receivedBytes: number
  /** Bytes of received messages waiting for or inside `onReceive`. */
  recvPendingBytes: number
}

/**
 * One channel of a connection: its send queue, the message being cut into
 * packets, and the message being reassembled from received packets.
 */
export class Channel {
  readonly desc: ResolvedChannelDescriptor
  readonly id: number
  readonly priority: number
  readonly queue: SendQueue
  /** Payload bytes per packet. */
  readonly payloadLimit: number
  /** Payload bytes of a final packet (see `eofPayloadLimit`). */
  readonly eofPayloadLimit: number
  /** Largest wire size of one packet of this channel. */
  readonly maxWireSize: number
  recentlySent = 0
  sentBytes = 0
  receivedBytes = 0
  #sending: Uint8Array | undefined
  #sendingOffset = 0
  #recving: Uint8Array | undefined
  #recvLength = 0

  constructor(desc: ResolvedChannelDescriptor, maxPayload: number, sendTimeoutMs: number, clock: Clock) {
    this.desc = desc
    this.id = desc.id
    this.priority = desc.priority
    this.queue = new SendQueue(desc.sendQueueCapacity, sendTimeoutMs, clock)
    this.payloadLimit = maxPayload
    this.eofPayloadLimit = eofPayloadLimit(desc.id, maxPayload)
    this.maxWireSize = Math.max(
      delimitedPacketMsgSize(desc.id, false, maxPayload),
      delimitedPacketMsgSize(desc.id, true, this.eofPayloadLimit)
    )
  }

  /** Messages queued or in progress, as the reference counts them. */
  get sendQueueSize(): number {
    return this.queue.size + (this.#sending === undefined ? 0 : 1)
  }

  /** True when a packet is ready to go (taking the next message from the queue if needed). */
  isSendPending(): boolean {
    if (this.#sending !== undefined) return true
    const next = this.queue.shift()
    if (next === undefined) return false
    this.#sending = next
    this.#sendingOffset = 0
    return true
  }

  /**
   * Writes the next packet of the current message into `target` at `pos`
   * (room for {@link maxWireSize} bytes is the caller's job) and returns the
   * position after it. Call only after {@link isSendPending} returned true.
   */
  writeNextPacket(target: Uint8Array, pos: number): number {
    const message = this.#sending as Uint8Array
    const start = this.#sendingOffset
    const remaining = message.length - start
    // Identical to the reference on channels below 0x80. Above, a last piece
    // of exactly maxPayload bytes goes without eof, followed by an empty
    // final packet, so every packet stays within the receive limit.
    const eof = remaining <= this.eofPayloadLimit
    const end = eof ? message.length : start + Math.min(remaining, this.payloadLimit)
    const next = writePacketMsg(target, pos, this.id, eof, message, start, end)
    if (eof) this.#sending = undefined
    else this.#sendingOffset = end
    const size = next - pos
    this.recentlySent += size
    this.sentBytes += size
    return next
  }

  /**
   * Adds a received payload to the message being reassembled. Returns the
   * complete message (a copy the receiver owns) on `eof`, else
   * undefined. Throws {@link MessageOverCapacityError} when the message would
   * exceed `recvMessageCapacity` (checked, as in the reference, before
   * anything is copied).
   */
  receivePacket(buf: Uint8Array, start: number, end: number, eof: boolean): Uint8Array | undefined {
    const length = end - start
    const total = this.#recvLength + length
    if (total > this.desc.recvMessageCapacity) throw new MessageOverCapacityError(this.id, total, this.desc.recvMessageCapacity)
    if (eof && this.#recvLength === 0) return copyMessage(buf, start, end)
    let recving = this.#recving
    if (recving === undefined || recving.length < total) {
      // Grow geometrically from recvBufferCapacity, never past the message capacity.
      let size = Math.max(recving?.length ?? 0, Math.min(this.desc.recvBufferCapacity, this.desc.recvMessageCapacity))
      while (size < total) size = Math.min(size * 2, this.desc.recvMessageCapacity)
      const grown = new Uint8Array(size)
      if (recving !== undefined) grown.set(recving.subarray(0, this.#recvLength))
      this.#recving = recving = grown
    }
    recving.set(buf.subarray(start, end), this.#recvLength)
    this.#recvLength = total
    if (!eof) return undefined
    const message = recving.slice(0, total)
    this.#recvLength = 0
    // The reference keeps a grown buffer for the life of the connection; one
    // large message should not pin that much memory, so only a buffer of the
    // configured size is kept.
    if (recving.length > this.desc.recvBufferCapacity) this.#recving = undefined
    return message
  }

  /** Forgets the message being sent and the one being received (the connection is closing). */
  reset(): void {
    this.#sending = undefined
    this.#recving = undefined
    this.#recvLength = 0
  }
}

/**
 * The channel with `id`, by a linear scan: a connection has a handful of
 * channels (about ten on a full CometBFT node), and a scan costs less than
 * keeping a 256-slot table per connection (2 KiB each, for every idle peer).
 */
export function findChannel(channels: readonly Channel[], id: number): Channel | undefined {
  for (let i = 0; i < channels.length; i++) {
    const channel = channels[i] as Channel
    if (channel.id === id) return channel
  }
  return undefined
}
