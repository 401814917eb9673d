import type { NodeId } from '@comet-p2p/types'

/**
 * The reactor's anti-abuse bookkeeping: the requests we sent and are
 * waiting on (one per peer), and when each peer last asked us.
 *
 * The reference stores a zero time on a peer's first request and the real
 * time from the second on, so the first two requests are always accepted
 * and only a third one within the minimum interval is refused; `null`
 * plays the zero time here.
 */
export class RequestTracker {
  readonly #sent = new Set<NodeId>()
  readonly #lastReceived = new Map<NodeId, number | null>()

  /** Records a request to `id`; false if one is already outstanding. */
  markSent(id: NodeId): boolean {
    if (this.#sent.has(id)) return false
    this.#sent.add(id)
    return true
  }

  /** Whether a request to `id` is outstanding. */
  hasSent(id: NodeId): boolean {
    return this.#sent.has(id)
  }

  /** Consumes the outstanding request to `id`; false if there was none (the answer is unsolicited). */
  takeSent(id: NodeId): boolean {
    return this.#sent.delete(id)
  }

  /** Whether `id` asked us before (since it connected). */
  hasReceived(id: NodeId): boolean {
    return this.#lastReceived.has(id)
  }

  /** Marks a request from `id` as seen at `now` without checking it (seed mode answers once). */
  markReceived(id: NodeId, now: number): void {
    this.#lastReceived.set(id, now)
  }

  /**
   * Checks a request from `id` received at `now` against `minIntervalMs`;
   * returns the milliseconds since its previous request when it came too
   * soon, `undefined` when it is accepted (and recorded).
   */
  checkRequest(id: NodeId, now: number, minIntervalMs: number): number | undefined {
    if (!this.#lastReceived.has(id)) {
      this.#lastReceived.set(id, null)
      return undefined
    }
    const last = this.#lastReceived.get(id)
    if (last === null || last === undefined) {
      this.#lastReceived.set(id, now)
      return undefined
    }
    const since = now - last
    if (since < minIntervalMs) return since
    this.#lastReceived.set(id, now)
    return undefined
  }

  /** Forgets a peer that left. */
  forget(id: NodeId): void {
    this.#sent.delete(id)
    this.#lastReceived.delete(id)
  }

  /** Peers with a request outstanding. */
  get outstanding(): number {
    return this.#sent.size
  }

  clear(): void {
    this.#sent.clear()
    this.#lastReceived.clear()
  }
}
