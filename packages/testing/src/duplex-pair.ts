import { Duplex } from 'node:stream'

/** Options of {@link duplexPair}. */
export interface DuplexPairOptions {
  /** Readable/writable buffer size of each end (default 16 KiB). */
  highWaterMark?: number
}

/**
 * Two in-memory `Duplex` streams wired to each other: what one writes, the
 * other reads. Backpressure is real: a write completes only when the other
 * end has room, so a consumer that stops reading stalls the writer just as a
 * TCP socket would. Ending one side ends the other's readable side;
 * destroying one destroys the other.
 */
export function duplexPair(options: DuplexPairOptions = {}): [Duplex, Duplex] {
  const highWaterMark = options.highWaterMark ?? 16 * 1024
  const a = new PairEnd(highWaterMark)
  const b = new PairEnd(highWaterMark)
  a.peer = b
  b.peer = a
  return [a, b]
}

class PairEnd extends Duplex {
  peer: PairEnd | undefined
  /** Set while a write waits for the peer to want more data. */
  #pending: (() => void) | undefined

  constructor(highWaterMark: number) {
    super({ highWaterMark, allowHalfOpen: true })
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer
    if (peer === undefined || peer.destroyed) {
      callback(new Error('the other end of the pair is closed'))
      return
    }
    if (peer.push(chunk)) callback()
    else peer.#pending = () => callback()
  }

  override _read(): void {
    const pending = this.#pending
    this.#pending = undefined
    pending?.()
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.peer?.push(null)
    callback()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer
    this.peer = undefined
    const pending = this.#pending
    this.#pending = undefined
    pending?.()
    if (peer !== undefined && !peer.destroyed) peer.destroy()
    callback(error)
  }
}
