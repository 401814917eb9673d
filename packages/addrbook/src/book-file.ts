import type { Logger } from '@comet-p2p/types'
import { AddrBookFileError, AddrBookFileReadError, AddrBookFileWriteError } from './errors.js'
import { decodeAddrBook, type DecodedAddrBook } from './file-format.js'
import type { GoTime } from './go-time.js'
import { readBookFile, removeStaleTempFiles, writeFileAtomic } from './persistence.js'

/** The file behind a book: loading with clear errors, and saves that run one at a time, in call order. */
export class BookFile {
  readonly path: string
  readonly #logger: Logger
  #queue: Promise<void> = Promise.resolve()

  constructor(path: string, logger: Logger) {
    this.path = path
    this.#logger = logger
  }

  /**
   * Reads and validates the file; `undefined` when it does not exist.
   * Stale temporary files of interrupted saves are removed first.
   */
  async load(now: GoTime): Promise<DecodedAddrBook | undefined> {
    await this.#removeStale(false)
    const text = await readBookFile(this.path)
    if (text === undefined) {
      this.#logger.info('address book: no file yet, starting empty', { file: this.path })
      return undefined
    }
    return decodeAddrBook(text, this.path, now, this.#logger)
  }

  /** Queues a write of `text`; resolves when it is on disk, rejects with {@link AddrBookFileWriteError}. */
  save(text: string): Promise<void> {
    const run = this.#queue.then(async () => {
      try {
        await this.#removeStale(true)
        await writeFileAtomic(this.path, text)
      } catch (err) {
        throw err instanceof AddrBookFileError ? err : new AddrBookFileWriteError(this.path, err)
      }
    })
    this.#queue = run.catch(() => undefined)
    return run
  }

  /** Resolves once every queued save has finished (successfully or not). */
  idle(): Promise<void> {
    return this.#queue
  }

  async #removeStale(writing: boolean): Promise<void> {
    try {
      const removed = await removeStaleTempFiles(this.path)
      if (removed > 0) this.#logger.info('address book: removed temporary files of an interrupted save', { file: this.path, removed })
    } catch (err) {
      throw writing ? new AddrBookFileWriteError(this.path, err) : new AddrBookFileReadError(this.path, err)
    }
  }
}
