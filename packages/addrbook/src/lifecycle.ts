import type { Logger } from '@comet-p2p/types'
import type { BookFile } from './book-file.js'
import { AddrBookStateError } from './errors.js'
import type { DecodedAddrBook } from './file-format.js'
import type { GoTime } from './go-time.js'

/** What the lifecycle needs from the book it loads and saves. */
export interface BookContents {
  /** Whether the book holds no entry and no ban (a load replaces both). */
  isEmpty(): boolean
  /** The book as file text, as it is at this moment. */
  encode(): string
  /** Replaces the book's entries, bans and keys with those of a file. */
  restore(decoded: DecodedAddrBook): void
  now(): GoTime
}

/**
 * Start, periodic save and stop of a book. A file-backed book saves only
 * once its file has been read (or found missing), so a file that failed to
 * load is never replaced.
 */
export class BookLifecycle {
  readonly #file: BookFile | undefined
  readonly #intervalMs: number
  readonly #logger: Logger
  readonly #contents: BookContents
  #state: 'idle' | 'starting' | 'started' | 'stopped' = 'idle'
  #loaded: boolean
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(file: BookFile | undefined, intervalMs: number, logger: Logger, contents: BookContents) {
    this.#file = file
    this.#intervalMs = intervalMs
    this.#logger = logger
    this.#contents = contents
    this.#loaded = file === undefined
  }

  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new AddrBookStateError(`cannot start an address book that is ${this.#state}`)
    const file = this.#loaded ? undefined : this.#file
    if (file !== undefined && !this.#contents.isEmpty()) {
      throw new AddrBookStateError('addresses were added before start(); loading the file would lose them')
    }
    this.#state = 'starting'
    try {
      const decoded = await file?.load(this.#contents.now())
      if (decoded !== undefined) this.#contents.restore(decoded)
      this.#loaded = true
    } catch (err) {
      this.#state = 'idle'
      throw err
    }
    if (this.#state !== 'starting') return // stop() was called while loading
    this.#state = 'started'
    this.#schedule()
  }

  async stop(): Promise<void> {
    const wasStarted = this.#state === 'started'
    this.#state = 'stopped'
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (wasStarted) await this.save()
    else await this.#file?.idle()
  }

  async save(): Promise<void> {
    if (this.#file === undefined) return
    if (!this.#loaded) throw new AddrBookStateError(`address book ${this.#file.path} was not loaded; call start() first`)
    await this.#file.save(this.#contents.encode())
  }

  #schedule(): void {
    if (this.#file === undefined || this.#state !== 'started') return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.save()
        .catch((err: unknown) => this.#logger.error('address book: periodic save failed', { error: String(err) }))
        .finally(() => this.#schedule())
        .catch(() => undefined)
    }, this.#intervalMs)
  }
}
