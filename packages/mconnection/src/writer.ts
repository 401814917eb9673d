import type { Writable } from 'node:stream'

/** Unflushed bytes at which a write happens without waiting for the flush timer (the reference's 64 KiB bufio writer). */
export const FLUSH_THRESHOLD = 64 * 1024
const BUFFER_SIZE = 2 * FLUSH_THRESHOLD

/**
 * Packets are encoded straight into a large buffer and handed to the stream
 * in one `write` per flush: when the flush throttle fires, when
 * {@link FLUSH_THRESHOLD} bytes are waiting, or on demand (pings, pongs,
 * stop). Written regions are never touched again (the stream may still hold
 * them); new packets go after them, and a fresh buffer is taken when the
 * current one is full, so there is one allocation per ~128 KiB, not one per
 * packet.
 */
export class PacketWriter {
  /** The buffer packets are encoded into, from {@link end} on. */
  buf: Buffer = Buffer.allocUnsafe(BUFFER_SIZE)
  /** End of the encoded bytes. Advance it after encoding into {@link buf}. */
  end = 0
  /** Start of the bytes not yet handed to the stream. */
  #start = 0
  /** The stream's buffer is over its high-water mark: hold data packets until 'drain'. */
  needDrain = false
  readonly #stream: Writable
  readonly #throttleMs: number
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(stream: Writable, throttleMs: number) {
    this.#stream = stream
    this.#throttleMs = throttleMs
  }

  /** Bytes encoded but not yet written to the stream. */
  get pendingBytes(): number {
    return this.end - this.#start
  }

  /** Makes room for `bytes` more bytes at {@link end}. */
  ensure(bytes: number): void {
    if (this.buf.length - this.end >= bytes) return
    const pending = this.end - this.#start
    const next = Buffer.allocUnsafe(Math.max(BUFFER_SIZE, pending + bytes))
    this.buf.copy(next, 0, this.#start, this.end)
    this.buf = next
    this.#start = 0
    this.end = pending
  }

  /** Call after encoding packets: writes when enough is waiting, else makes sure the flush timer runs. */
  appended(): void {
    const pending = this.end - this.#start
    if (pending >= FLUSH_THRESHOLD) this.flush()
    else if (pending > 0 && this.#throttleMs > 0 && this.#timer === undefined) {
      // Like the reference's throttle timer: armed by the first unflushed
      // packet and not pushed back by later ones.
      this.#timer = setTimeout(this.#onTimer, this.#throttleMs)
    }
  }

  /** Call at the end of a send pass: with a zero throttle, this is when data is flushed. */
  passEnded(): void {
    if (this.#throttleMs === 0) this.flush()
  }

  /** Hands everything encoded so far to the stream, in one write. */
  flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
    if (this.end === this.#start) return
    const chunk = this.buf.subarray(this.#start, this.end)
    this.#start = this.end
    if (this.buf.length - this.end < 1024) {
      // Too little room left to be worth keeping: the next packet starts a new buffer.
      this.buf = Buffer.allocUnsafe(BUFFER_SIZE)
      this.#start = this.end = 0
    }
    if (!this.#stream.write(chunk)) this.needDrain = true
  }

  /** Stops the flush timer; unflushed bytes are dropped. */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#start = this.end
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined
    this.flush()
  }
}
