import type { NetAddress } from '@comet-p2p/types'
import { errorText, type PexContext } from './context.js'
import { CrawlState } from './crawl-state.js'
import type { PeerManager } from './peer-manager.js'

/**
 * Seed mode (the reference crawler): every round, drop peers we have been
 * connected to long enough, then dial a selection of the book, skipping
 * peers crawled recently, and ask every peer dialed for addresses.
 */
export class Crawler {
  readonly state = new CrawlState()
  readonly #ctx: PexContext
  readonly #manager: PeerManager

  constructor(ctx: PexContext, manager: PeerManager) {
    this.#ctx = ctx
    this.#manager = manager
  }

  /** The first round: consult the seeds if any, else crawl the book. */
  initial(): void {
    if (this.#ctx.seeds.length > 0) this.#manager.dialSeedsInBackground()
    else this.crawlPeers(this.#ctx.book.getSelection())
  }

  /** A periodic round. */
  round(): void {
    const { book, clock, config, stats } = this.#ctx
    stats.crawlRounds++
    this.attemptDisconnects()
    this.crawlPeers(book.getSelection())
    this.state.cleanup(clock.now(), config.crawlPeerInfoTtlMs)
  }

  /**
   * Dials the addresses not crawled within `minTimeBetweenCrawlsMs`, and
   * asks each peer dialed for addresses. The reference dials them one after
   * the other; here the dials run concurrently.
   */
  crawlPeers(addrs: readonly NetAddress[]): void {
    const { clock, config } = this.#ctx
    const now = clock.now()
    for (const addr of addrs) {
      if (this.state.crawledRecently(addr, now, config.minTimeBetweenCrawlsMs)) continue
      this.state.record(addr, now)
      this.#ctx.tasks.track(this.#crawl(addr))
    }
  }

  async #crawl(addr: NetAddress): Promise<void> {
    const dialed = await this.#manager.tryDial(addr)
    if (dialed === undefined) return
    const peer = this.#ctx.sw.peers().get(addr.id)
    if (peer !== undefined) this.#ctx.requestAddrs(peer)
  }

  /** Disconnects every non-persistent peer connected for `seedDisconnectWaitPeriodMs` or more. */
  attemptDisconnects(): void {
    const { sw, config, logger, tasks } = this.#ctx
    for (const peer of sw.peers().list()) {
      if (peer.status().durationMs < config.seedDisconnectWaitPeriodMs || peer.isPersistent) continue
      logger.debug('seed: disconnecting peer after the wait period', { peer: peer.id })
      tasks.track(
        sw.stopPeerGracefully(peer).catch((err: unknown) => logger.debug('graceful stop failed', { peer: peer.id, error: errorText(err) }))
      )
    }
  }
}
