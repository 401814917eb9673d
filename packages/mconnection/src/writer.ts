import type { Writable } from 'node:stream'
import type { Clock } from '@comet-p2p/types'

/** Unflushed bytes at which a write happens without waiting for the flush timer (the reference's 64 KiB bufio writer). */
export const FLUSH_THRESHOLD = 64 * 1024
/** Buffer size under load (several flushes per buffer). */
const BUFFER_SIZE = 4 * FLUSH_THRESHOLD
/** Buffer size while traffic is light. */
const SMALL_BUFFER_SIZE = 16 * 1024
/**
 * Room kept after a flush for the next one: the threshold plus slack for the
 * batch that crosses it. With less, the next buffer is started right away,
 * while nothing is pending, so encoded bytes never need to be moved.
 */
const ROOM_FOR_NEXT_FLUSH = FLUSH_THRESHOLD + 32 * 1024

/** What an idle writer holds: no buffer at all. */
const NO_BUFFER = Buffer.alloc(0)

/**
 * Packets are encoded straight into a large buffer and handed to the stream
 * in one `write` per flush: at the end of a send pass when the connection had
 * not flushed for a throttle period (leading edge), when the flush timer
 * fires (one throttle period after the last flush), when
 * {@link FLUSH_THRESHOLD} bytes are waiting, or on demand (pings, pongs,
 * stop). So sparse messages go out at once, and under load at most one
 * small flush happens per throttle period. Written regions are never touched again (the stream may still hold
 * them); new packets go after them, and a fresh buffer is taken when the
 * current one is nearly used up: 16 KiB ones while traffic is light, 256 KiB
 * ones under load. Allocations are per buffer, never per packet.
 *
 * An idle connection holds no buffer: the first packet allocates one, and a
 * flush of less than {@link FLUSH_THRESHOLD} bytes (light traffic: a throttle
 * or control flush) lets it go, so idle peers do not keep 16 KiB each. Under
 * load, flushes are threshold flushes and the buffer is kept.
 */
export class PacketWriter {
  /** The buffer packets are encoded into, from {@link end} on; empty until {@link ensure} is called. */
  buf: Buffer = NO_BUFFER
  /** End of the encoded bytes. Advance it after encoding into {@link buf}. */
  end = 0
  /** Start of the bytes not yet handed to the stream. */
  #start = 0
  /** The stream's buffer is over its high-water mark: hold data packets until 'drain'. */
  needDrain = false
  readonly #stream: Writable
  readonly #throttleMs: number
  readonly #clock: Clock
  #timer: ReturnType<typeof setTimeout> | undefined
  /** When data was last handed to the stream (clock time). */
  #lastFlush = Number.NEGATIVE_INFINITY
  /** A leading-edge flush is due at the end of the current send pass. */
  #flushAtPassEnd = false
  /** Called when a write fills the stream's buffer (needDrain turns true). */
  onBlocked: (() => void) | undefined

  constructor(stream: Writable, throttleMs: number, clock: Clock) {
    this.#stream = stream
    this.#throttleMs = throttleMs
    this.#clock = clock
  }

  /** Bytes encoded but not yet written to the stream. */
  get pendingBytes(): number {
    return this.end - this.#start
  }

  /** Makes room for `bytes` more bytes at {@link end}. */
  ensure(bytes: number): void {
    if (this.buf.length - this.end >= bytes) return
    const pending = this.end - this.#start
    const needed = pending + bytes
    const next = Buffer.allocUnsafe(needed <= SMALL_BUFFER_SIZE / 2 ? SMALL_BUFFER_SIZE : Math.max(BUFFER_SIZE, needed))
    this.buf.copy(next, 0, this.#start, this.end)
    this.buf = next
    this.#start = 0
    this.end = pending
  }

  /**
   * Call after encoding packets (`now`: the clock's time, read by the
   * caller): writes when enough is waiting; else, if no flush happened
   * within the last throttle period, asks for a flush at the end of the send
   * pass (leading edge); else makes sure the flush timer runs, due one
   * throttle period after the last flush.
   */
  appended(now: number): void {
    const pending = this.end - this.#start
    if (pending >= FLUSH_THRESHOLD) this.flush()
    else if (pending > 0 && this.#throttleMs > 0 && this.#timer === undefined && !this.#flushAtPassEnd) {
      const wait = this.#lastFlush + this.#throttleMs - now
      // The reference arms a timer of a whole period for the first unflushed
      // packet, so a lone message always waits; here it goes at once when
      // the connection has not flushed for a period, and only packets that
      // follow a flush within the period wait for the rest of it.
      if (wait <= 0) this.#flushAtPassEnd = true
      else this.#timer = setTimeout(this.#onTimer, wait)
    }
  }

  /** Call at the end of a send pass: flushes a leading-edge flush, or everything with a zero throttle. */
  passEnded(): void {
    if (this.#throttleMs === 0 || this.#flushAtPassEnd) this.flush()
  }

  /** Hands everything encoded so far to the stream, in one write. */
  flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
    this.#flushAtPassEnd = false
    if (this.end === this.#start) return
    this.#lastFlush = this.#clock.now()
    const chunk = this.buf.subarray(this.#start, this.end)
    this.#start = this.end
    if (chunk.length < FLUSH_THRESHOLD) {
      // Light traffic: let the buffer go (the stream may still hold `chunk`);
      // the next packet takes a fresh one.
      this.buf = NO_BUFFER
      this.#start = this.end = 0
    } else if (this.buf.length - this.end < ROOM_FOR_NEXT_FLUSH) {
      this.buf = Buffer.allocUnsafe(BUFFER_SIZE)
      this.#start = this.end = 0
    }
    if (!this.#stream.write(chunk) && !this.needDrain) {
      this.needDrain = true
      this.onBlocked?.()
    }
  }

  /** Stops the flush timer; unflushed bytes are dropped. */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#flushAtPassEnd = false
    this.buf = NO_BUFFER
    this.#start = this.end = 0
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined
    this.flush()
  }
}
