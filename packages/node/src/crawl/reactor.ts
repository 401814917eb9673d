import { BaseReactor, type ChannelDescriptor, type Envelope, type Peer } from '@comet-p2p/switch'
import { decodePexMessage, encodePexMessage, type NetAddressProto } from '@comet-p2p/types'

/** The PEX channel and its reference limits. */
const PEX_CHANNEL = 0x00
const MAX_PEX_MESSAGE_SIZE = 256 * 250

/** What the crawl reactor reports. */
export interface CrawlReactorEvents {
  /** A peer sent an address list (answering our request). */
  onAddrs(peer: Peer, addrs: readonly NetAddressProto[]): void
  /** A peer left (after answering or not). */
  onPeerGone(peer: Peer): void
}

/**
 * A PEX reactor for crawling: asks every peer once for addresses as soon as
 * it connects and reports the answer; answers a request with an empty list
 * (a crawler has no book to share). Speaks the reference `PexRequest` /
 * `PexAddrs` messages on channel 0x00.
 */
export class CrawlReactor extends BaseReactor {
  readonly #events: CrawlReactorEvents
  readonly #asked = new WeakSet<Peer>()

  constructor(events: CrawlReactorEvents) {
    super('PEX')
    this.#events = events
  }

  override getChannels(): ChannelDescriptor[] {
    return [{ id: PEX_CHANNEL, priority: 1, sendQueueCapacity: 10, recvMessageCapacity: MAX_PEX_MESSAGE_SIZE }]
  }

  override addPeer(peer: Peer): void {
    this.#asked.add(peer)
    peer.trySend(PEX_CHANNEL, encodePexMessage({ type: 'pex_request' }))
  }

  override removePeer(peer: Peer): void {
    this.#events.onPeerGone(peer)
  }

  override receive({ peer, message }: Envelope): void {
    const decoded = decodePexMessage(message)
    if (decoded.type === 'pex_request') {
      peer.trySend(PEX_CHANNEL, encodePexMessage({ type: 'pex_addrs', addrs: [] }))
      return
    }
    if (!this.#asked.has(peer)) return
    this.#asked.delete(peer)
    this.#events.onAddrs(peer, decoded.addrs)
  }
}
