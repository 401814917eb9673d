import { AddrBookNilAddrError } from '@comet-p2p/addrbook'
import type { Peer } from '@comet-p2p/switch'
import { decodePexMessage, encodePexMessage, NetAddress, type NetAddressProto, type PexMessage } from '@comet-p2p/types'
import { PEX_CHANNEL } from './config.js'
import { errorText, hasCode, type PexContext } from './context.js'
import {
  InvalidPexAddressError,
  PexDecodeError,
  RequestTooSoonError,
  TooManyAddressesError,
  UnsolicitedAddrsError,
  type PexPeerError
} from './errors.js'
import { selfReportedAddress } from './peer-address.js'
import type { PeerManager } from './peer-manager.js'
import type { RequestTracker } from './request-tracker.js'

/** Observers of the message handler. */
export interface PexHooks {
  onAddrs?: ((peer: Peer, addrs: readonly NetAddress[]) => void) | undefined
  onMisbehaviour?: ((peer: Peer, error: PexPeerError) => void) | undefined
}

/**
 * The PEX protocol proper: decoding, answering requests, accepting only
 * solicited address lists, and punishing peers that break the rules
 * (disconnect, then ban their address for `defaultBanTimeMs`).
 */
export class PexMessageHandler {
  readonly #ctx: PexContext
  readonly #tracker: RequestTracker
  readonly #manager: PeerManager
  readonly #hooks: PexHooks

  constructor(ctx: PexContext, tracker: RequestTracker, manager: PeerManager, hooks: PexHooks) {
    this.#ctx = ctx
    this.#tracker = tracker
    this.#manager = manager
    this.#hooks = hooks
  }

  /** Handles one message from `peer`. Never throws: a bad message disconnects and bans the peer. */
  receive(peer: Peer, bytes: Uint8Array): void {
    let message: PexMessage
    try {
      message = decodePexMessage(bytes)
    } catch (err) {
      // The reference panics here and the connection's recovery stops the
      // peer without banning it; a peer sending garbage is banned here too.
      this.#misbehaved(peer, new PexDecodeError(peer.id, err))
      return
    }
    if (message.type === 'pex_request') this.#onRequest(peer)
    else this.#onAddrs(peer, message.addrs)
  }

  /** Sends a request to `peer` unless one is outstanding. */
  requestAddrs(peer: Peer): void {
    if (!this.#tracker.markSent(peer.id)) return
    this.#ctx.logger.debug('requesting addresses', { peer: peer.id })
    this.#ctx.stats.requestsSent++
    this.#send(peer, 'request', encodePexMessage({ type: 'pex_request' }))
  }

  /** Adds `addr` learnt from `src` to the book; refusals are logged. Returns whether it was added. */
  addToBook(addr: NetAddress, src: NetAddress): boolean {
    try {
      this.#ctx.book.addAddress(addr, src)
      return true
    } catch (err) {
      // Banned, private, our own, non-routable, invalid...: expected, except a missing address.
      const level = hasCode(err, AddrBookNilAddrError.code) ? 'error' : 'debug'
      this.#ctx.logger[level]('address not added to the book', { addr: addr.toString(), src: src.toString(), error: errorText(err) })
      return false
    }
  }

  #onRequest(peer: Peer): void {
    const { book, config, clock, stats, metrics } = this.#ctx
    stats.requestsReceived++
    metrics.received('request')
    // A seed answers an inbound peer once, with a bias towards new
    // addresses, and then disconnects it.
    if (config.seedMode && !peer.isOutbound) {
      if (this.#tracker.hasReceived(peer.id)) return // already answered; the disconnect is under way
      this.#tracker.markReceived(peer.id, clock.now())
      const bytes = this.#addrsMessage(book.getSelectionWithBias(config.biasToSelectNewPeers))
      this.#ctx.tasks.track(this.#answerAndDisconnect(peer, bytes))
      return
    }
    // Nodes ask every ensurePeersPeriod; a third of it leaves room for jitter.
    const minInterval = config.ensurePeersPeriodMs / 3
    const since = this.#tracker.checkRequest(peer.id, clock.now(), minInterval)
    if (since !== undefined) {
      this.#misbehaved(peer, new RequestTooSoonError(peer.id, since, minInterval))
      return
    }
    this.#send(peer, 'addrs', this.#addrsMessage(book.getSelection()))
  }

  async #answerAndDisconnect(peer: Peer, bytes: Uint8Array): Promise<void> {
    const sent = await peer.send(PEX_CHANNEL, bytes).catch(() => false)
    if (sent) this.#ctx.metrics.sent('addrs')
    else this.#ctx.logger.debug('seed: answer not queued', { peer: peer.id })
    await this.#ctx.sw.stopPeerGracefully(peer).catch((err: unknown) => {
      this.#ctx.logger.debug('seed: graceful stop failed', { peer: peer.id, error: errorText(err) })
    })
  }

  #onAddrs(peer: Peer, protos: readonly NetAddressProto[]): void {
    const { config, stats, metrics } = this.#ctx
    stats.addrsMessagesReceived++
    metrics.received('addrs')
    if (protos.length > config.maxAddrsPerMessage) {
      this.#misbehaved(peer, new TooManyAddressesError(peer.id, protos.length, config.maxAddrsPerMessage))
      return
    }
    const addrs: NetAddress[] = []
    for (const proto of protos) {
      try {
        addrs.push(NetAddress.fromProto(proto))
      } catch (err) {
        this.#misbehaved(peer, new InvalidPexAddressError(peer.id, `${proto.id}@${proto.ip}:${proto.port}`, err))
        return
      }
    }
    if (!this.#tracker.takeSent(peer.id)) {
      this.#misbehaved(peer, new UnsolicitedAddrsError(peer.id))
      return
    }
    stats.addrsReceived += addrs.length
    metrics.addrs(addrs.length)
    this.#notifyAddrs(peer, addrs)

    // The reference disconnects a peer whose listen address does not
    // parse; here its socket address is the source instead.
    const src = selfReportedAddress(peer) ?? peer.socketAddr
    const fromSeed = this.#ctx.seeds.some((seed) => seed.equals(src))
    for (const addr of addrs) {
      if (!this.addToBook(addr, src)) continue
      stats.addrsAdded++
      // Fast dialing (reference issue #2093): don't wait for the next round.
      if (fromSeed && config.seedFastDial === 'all') this.#manager.dialInBackground(addr)
    }
    if (fromSeed && config.seedFastDial === 'ensurePeers' && !config.seedMode) this.#manager.ensurePeers(true)
  }

  #addrsMessage(addrs: readonly NetAddress[]): Uint8Array {
    this.#ctx.stats.addrsMessagesSent++
    return encodePexMessage({ type: 'pex_addrs', addrs: addrs.map((a) => a.toProto()) })
  }

  /** Queues a message for `peer`; the metric counts it once the connection took it. */
  #send(peer: Peer, type: 'request' | 'addrs', bytes: Uint8Array): void {
    this.#ctx.tasks.track(
      peer.send(PEX_CHANNEL, bytes).then(
        (queued) => {
          if (queued) this.#ctx.metrics.sent(type)
          else this.#ctx.logger.debug('PEX message not queued', { peer: peer.id })
        },
        (err: unknown) => this.#ctx.logger.debug('PEX send failed', { peer: peer.id, error: errorText(err) })
      )
    )
  }

  #misbehaved(peer: Peer, error: PexPeerError): void {
    const { sw, book, config, logger, stats, metrics } = this.#ctx
    stats.misbehaviours++
    metrics.misbehaviour(error.code)
    logger.info('peer misbehaved on the PEX channel', { peer: peer.id, error: error.message })
    try {
      this.#hooks.onMisbehaviour?.(peer, error)
    } catch (err) {
      logger.error('onMisbehaviour hook threw', { error: errorText(err) })
    }
    sw.stopPeerForError(peer, error)
    book.markBad(peer.socketAddr, config.defaultBanTimeMs)
  }

  #notifyAddrs(peer: Peer, addrs: readonly NetAddress[]): void {
    try {
      this.#hooks.onAddrs?.(peer, addrs)
    } catch (err) {
      this.#ctx.logger.error('onAddrs hook threw', { error: errorText(err) })
    }
  }
}
