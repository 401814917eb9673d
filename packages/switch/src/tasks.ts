const noop = (): void => undefined

/** Background work the switch must wait for before it reports itself stopped. */
export class TaskSet {
  readonly #tasks = new Set<Promise<void>>()

  /** Number of tasks still running. */
  get size(): number {
    return this.#tasks.size
  }

  /** Remembers `task` until it settles. Its outcome is ignored here: handle rejections before passing it. */
  track(task: Promise<unknown>): void {
    const entry = task.then(noop, noop)
    this.#tasks.add(entry)
    void entry.then(() => this.#tasks.delete(entry))
  }

  /** Resolves once every task, including tasks started meanwhile, has settled. */
  async settle(): Promise<void> {
    while (this.#tasks.size > 0) await Promise.all([...this.#tasks])
  }
}
