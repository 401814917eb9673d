/**
 * Background work the reactor started (dials, sends, graceful stops), so
 * that `stop()` can wait for all of it. Tracked promises must not reject;
 * a rejection is swallowed here as a last resort.
 */
export class TaskSet {
  readonly #pending = new Set<Promise<unknown>>()

  /** Number of tasks still running. */
  get size(): number {
    return this.#pending.size
  }

  track(task: Promise<unknown>): void {
    const settled = task.then(
      () => undefined,
      () => undefined
    )
    this.#pending.add(settled)
    void settled.then(() => this.#pending.delete(settled))
  }

  /** Resolves once every task tracked so far, and any tracked meanwhile, has settled. */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending])
  }
}

/**
 * One repeating job on a single timer: runs `job` after `firstDelayMs`, then
 * every `periodMs` (measured from the end of the previous run's synchronous
 * part), until {@link Routine.stop}. A job that throws is reported to
 * `onError` and the routine goes on. Timers are unreferenced, so a routine
 * never keeps the process alive by itself.
 */
export class Routine {
  readonly #job: () => void
  readonly #periodMs: number
  readonly #onError: (err: unknown) => void
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = false

  constructor(job: () => void, periodMs: number, onError: (err: unknown) => void) {
    this.#job = job
    this.#periodMs = periodMs
    this.#onError = onError
  }

  start(firstDelayMs: number): void {
    this.#schedule(firstDelayMs)
  }

  /** Runs again after `delayMs` instead of when planned. */
  reschedule(delayMs: number): void {
    this.#schedule(delayMs)
  }

  /** Clears the timer; the routine never runs again. Idempotent. */
  stop(): void {
    this.#stopped = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      try {
        this.#job()
      } catch (err) {
        this.#onError(err)
      }
      if (this.#timer === undefined) this.#schedule(this.#periodMs)
    }, Math.max(0, delayMs))
    this.#timer.unref()
  }
}
