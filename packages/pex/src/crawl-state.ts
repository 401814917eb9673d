import type { NetAddress, NodeId } from '@comet-p2p/types'

/** One crawled peer (the reference `crawlPeerInfo`). */
export interface CrawlPeerInfo {
  /** The address crawled. */
  addr: NetAddress
  /** When we last crawled it or tried to (clock milliseconds). */
  lastCrawledMs: number
}

/** Seed-mode crawl records, by node ID. */
export class CrawlState {
  readonly #byId = new Map<NodeId, CrawlPeerInfo>()

  /** Whether `addr` was crawled less than `minIntervalMs` before `now`. */
  crawledRecently(addr: NetAddress, now: number, minIntervalMs: number): boolean {
    const info = this.#byId.get(addr.id)
    return info !== undefined && now - info.lastCrawledMs < minIntervalMs
  }

  /** Records a crawl attempt of `addr` at `now`. */
  record(addr: NetAddress, now: number): void {
    this.#byId.set(addr.id, { addr, lastCrawledMs: now })
  }

  /** Forgets peers not crawled for more than `ttlMs` (no longer in the book, most likely). */
  cleanup(now: number, ttlMs: number): void {
    for (const [id, info] of this.#byId) if (now - info.lastCrawledMs > ttlMs) this.#byId.delete(id)
  }

  /** Copies of the records. */
  list(): CrawlPeerInfo[] {
    return Array.from(this.#byId.values(), (info) => ({ ...info }))
  }

  clear(): void {
    this.#byId.clear()
  }
}
