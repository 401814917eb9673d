import type { AddrBookLike } from '@comet-p2p/addrbook'
import type { Peer } from '@comet-p2p/switch'
import type { Clock, HostLookup, Logger, MetricsRegistry, NetAddress } from '@comet-p2p/types'
import type { PexReactorConfigInput } from './config.js'
import type { CrawlPeerInfo } from './crawl-state.js'
import type { PexPeerError } from './errors.js'

/** An address book the reactor can use; `start` / `stop` are called when present and `manageBook` is on. */
export interface PexAddrBook extends AddrBookLike {
  start?(): void | Promise<void>
  stop?(): void | Promise<void>
}

/** Options of {@link PexReactor}: the book, the {@link PexReactorConfig} settings, and the injectable parts. */
export interface PexReactorOptions extends PexReactorConfigInput {
  /** The address book the reactor fills and dials from (usually the one given to the switch too). */
  book: PexAddrBook
  /**
   * Start the book when the reactor starts and stop it (which saves it) when
   * the reactor stops, as the reference reactor does. Default true; pass
   * false when the book's owner starts and stops it.
   */
  manageBook?: boolean | undefined
  /** Default: the switch's logger with `{ module: 'pex' }`. */
  logger?: Logger | undefined
  metrics?: MetricsRegistry | undefined
  /** Time source for request intervals, backoffs and crawl records. Default: the system clock. */
  clock?: Clock | undefined
  /** Uniform random numbers in [0, 1) for jitter, picks and seed order. Default `Math.random`. */
  random?: (() => number) | undefined
  /** Resolver for seed host names. Default: the system's. */
  lookup?: HostLookup | undefined
  /**
   * Called with every accepted address list and its sender, before the
   * addresses go into the book (e.g. to build a crawl report). A throw is
   * logged and ignored.
   */
  onAddrs?: ((peer: Peer, addrs: readonly NetAddress[]) => void) | undefined
  /** Called when a peer is disconnected for misbehaving on the PEX channel. A throw is logged and ignored. */
  onMisbehaviour?: ((peer: Peer, error: PexPeerError) => void) | undefined
}

/** What {@link PexReactor.crawlStatus} reports. */
export interface CrawlStatus {
  seedMode: boolean
  /** Peers crawled (or tried) recently, with when. */
  peers: CrawlPeerInfo[]
}
