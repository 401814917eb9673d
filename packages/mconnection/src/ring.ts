/**
 * A FIFO queue on a circular array that grows by doubling: O(1) push and
 * shift without the copying of `Array#shift` on long queues.
 */
export class Ring<T> {
  #items: (T | undefined)[]
  #head = 0
  #length = 0

  constructor(initialCapacity = 4) {
    this.#items = new Array<T | undefined>(Math.max(1, initialCapacity))
  }

  get length(): number {
    return this.#length
  }

  push(item: T): void {
    if (this.#length === this.#items.length) this.#grow()
    this.#items[(this.#head + this.#length) % this.#items.length] = item
    this.#length++
  }

  /** The oldest item, without removing it. */
  peek(): T | undefined {
    return this.#length === 0 ? undefined : this.#items[this.#head]
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.#length === 0) return undefined
    const item = this.#items[this.#head]
    this.#items[this.#head] = undefined
    this.#head = (this.#head + 1) % this.#items.length
    this.#length--
    return item
  }

  /** Removes everything, returning the items oldest first. */
  drain(): T[] {
    const out: T[] = []
    while (this.#length > 0) out.push(this.shift() as T)
    return out
  }

  #grow(): void {
    const next = new Array<T | undefined>(this.#items.length * 2)
    for (let i = 0; i < this.#length; i++) next[i] = this.#items[(this.#head + i) % this.#items.length]
    this.#items = next
    this.#head = 0
  }
}
