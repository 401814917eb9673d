import type { CrawlProgress } from '../crawl/types.js'
import type { OutputStream } from './context.js'

/** The progress line of a crawl. */
export function formatProgress(p: CrawlProgress): string {
  return (
    `crawling: ${p.known} nodes known, ${p.dialed} dialed (${p.reachable} reachable, ${p.unreachable} unreachable), ` +
    `${p.inFlight} in flight, ${p.queued} queued, ${(p.elapsedMs / 1000).toFixed(1)} s`
  )
}

/**
 * Shows progress on `stream`: on a terminal one line redrawn in place; on
 * anything else (a pipe, a log file) a plain line every `plainIntervalMs`
 * at most, so logs stay readable.
 */
export class ProgressLine {
  readonly #stream: OutputStream
  readonly #plainIntervalMs: number
  #lastPlain = -Infinity
  #lastText = ''
  #drawn = false

  constructor(stream: OutputStream, plainIntervalMs = 5_000) {
    this.#stream = stream
    this.#plainIntervalMs = plainIntervalMs
  }

  update(p: CrawlProgress): void {
    const text = formatProgress(p)
    if (text === this.#lastText) return
    this.#lastText = text
    if (this.#stream.isTTY === true) {
      const width = Math.max((this.#stream.columns ?? 100) - 1, 20)
      this.#stream.write(`\r\x1b[2K${text.slice(0, width)}`)
      this.#drawn = true
    } else if (p.elapsedMs - this.#lastPlain >= this.#plainIntervalMs) {
      this.#lastPlain = p.elapsedMs
      this.#stream.write(`${text}\n`)
    }
  }

  /** Ends the line (on a terminal) or prints the last state (elsewhere). */
  done(): void {
    if (this.#drawn) this.#stream.write('\n')
    else if (this.#lastText !== '') this.#stream.write(`${this.#lastText}\n`)
    this.#drawn = false
  }
}
