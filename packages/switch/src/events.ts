import type { Logger } from '@comet-p2p/types'

/** Maps event names to the type of the single argument their listeners get. */
export type EventMap = object

/** A listener of one event. */
export type Listener<T> = (event: T) => void

/**
 * A minimal typed event emitter. Unlike `node:events`, a throwing listener
 * is logged and does not disturb the emitter or the other listeners, and
 * there is no special `error` event that crashes when nobody listens.
 */
export class TypedEmitter<Events extends EventMap> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>()
  readonly #emitterLogger: Logger

  constructor(logger: Logger) {
    this.#emitterLogger = logger
  }

  /** Calls `listener` on every `event` until {@link off}. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    let set = this.#listeners.get(event)
    if (set === undefined) {
      set = new Set()
      this.#listeners.set(event, set)
    }
    set.add(listener)
    return this
  }

  /** Calls `listener` on the next `event` only. */
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const wrapper: Listener<Events[K]> = (value) => {
      this.off(event, wrapper)
      listener(value)
    }
    return this.on(event, wrapper)
  }

  /** Removes a listener added with {@link on}. */
  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    this.#listeners.get(event)?.delete(listener)
    return this
  }

  /** Number of listeners of `event`. */
  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0
  }

  /** @internal Calls every listener of `event` with `value`. */
  protected emit<K extends keyof Events>(event: K, value: Events[K]): void {
    const set = this.#listeners.get(event)
    if (set === undefined || set.size === 0) return
    for (const listener of [...set] as Listener<Events[K]>[]) {
      try {
        listener(value)
      } catch (err) {
        this.#emitterLogger.error('event listener threw', { event: String(event), error: String(err) })
      }
    }
  }
}
