import { AlreadyDialingOrConnectedError, RejectedError, type Peer } from '@comet-p2p/switch'
import type { NetAddress, NodeId } from '@comet-p2p/types'
import { errorText, hasCode, permutation, randomInt, type PexContext } from './context.js'
import { DialAttempts, dialBackoffMs } from './dial-attempts.js'
import { MaxDialAttemptsError, TooEarlyToDialError } from './errors.js'

/**
 * The peer manager of a regular node (the reference `ensurePeers`,
 * `dialPeer` and `dialSeeds`): dials toward the outbound target with the
 * reference bias and per-address backoff, keeps the book supplied, and
 * falls back to the seeds.
 */
export class PeerManager {
  readonly attempts = new DialAttempts()
  readonly #ctx: PexContext
  #dialingSeeds = false

  constructor(ctx: PexContext) {
    this.#ctx = ctx
  }

  /**
   * One round. With `dialOnly` the address-book upkeep (reinstating bans,
   * asking a peer, dialing seeds) is skipped: used for the extra round run
   * on addresses from a seed, so that it never sends an extra request.
   */
  ensurePeers(dialOnly = false): void {
    const { sw, book, logger, stats, config } = this.#ctx
    stats.ensurePeersRounds++
    const { outbound, inbound, dialing } = sw.numPeers()
    const numToDial = sw.maxNumOutboundPeers() - (outbound + dialing)
    logger.debug('ensure peers', { outbound, inbound, dialing, numToDial })
    if (numToDial <= 0) {
      // The reference does nothing more at the target; see requestAddrsAtTarget.
      if (!dialOnly && config.requestAddrsAtTarget) this.#supplyBook(false)
      return
    }

    // Fewer outbound peers: prefer vetted (old) addresses; more: explore new ones. Range 10..90.
    const newBias = Math.min(outbound, 8) * 10 + 10
    const toDial = new Map<NodeId, NetAddress>()
    for (let i = 0; i < numToDial * 3 && toDial.size < numToDial; i++) {
      const candidate = book.pickAddress(newBias)
      if (candidate === undefined || toDial.has(candidate.id) || sw.isDialingOrExistingAddress(candidate)) continue
      toDial.set(candidate.id, candidate)
    }
    for (const addr of toDial.values()) this.dialInBackground(addr)
    if (!dialOnly) this.#supplyBook(toDial.size === 0)
  }

  /**
   * When the book needs more addresses: reinstate expired bans, ask a random
   * connected peer, and (with `dialSeeds`, i.e. nothing to dial) the seeds,
   * which also covers peers that do not take part in PEX.
   */
  #supplyBook(dialSeeds: boolean): void {
    const { sw, book, logger } = this.#ctx
    if (book.needMoreAddrs()) book.reinstateBadPeers()
    if (!book.needMoreAddrs()) return
    const peers = sw.peers().list()
    const peer = peers[randomInt(this.#ctx.random, peers.length)]
    if (peer !== undefined) {
      logger.debug('need more addresses: asking a random peer', { peer: peer.id })
      this.#ctx.requestAddrs(peer)
    }
    if (dialSeeds) this.dialSeedsInBackground()
  }

  /**
   * Dials `addr` unless it failed too often (then it is marked bad, except
   * persistent peers) or its backoff has not passed. Rejects with
   * {@link MaxDialAttemptsError}, {@link TooEarlyToDialError} or the switch's
   * dial error.
   */
  async dialPeer(addr: NetAddress): Promise<Peer> {
    const { sw, book, config, clock, stats, metrics } = this.#ctx
    const { attempts, lastDialedMs } = this.attempts.get(addr)
    const persistent = sw.isPeerPersistent(addr)
    if (!persistent && attempts > config.maxAttemptsToDial) {
      book.markBad(addr, config.defaultBanTimeMs)
      // The reference keeps the count, so a peer reinstated after its ban is
      // banned again on its first pick without being dialed; starting afresh
      // gives reinstated addresses a real second chance.
      this.attempts.clear(addr)
      stats.dialsGivenUp++
      metrics.dial('given_up')
      throw new MaxDialAttemptsError(addr, attempts)
    }
    if (attempts > 0) {
      const backoff = dialBackoffMs(attempts, persistent, config, this.#ctx.random)
      const since = clock.now() - lastDialedMs
      if (since < backoff) {
        stats.dialsTooEarly++
        metrics.dial('too_early')
        throw new TooEarlyToDialError(addr, backoff, since)
      }
    }
    try {
      const peer = await sw.dialPeerWithAddress(addr, { signal: this.#ctx.signal })
      this.attempts.clear(addr)
      stats.dials++
      stats.dialsSucceeded++
      metrics.dial('ok')
      return peer
    } catch (err) {
      // Not the address's fault: already connected, or we are shutting down.
      if (hasCode(err, AlreadyDialingOrConnectedError.code) || this.#ctx.signal.aborted || !sw.isRunning) throw err
      stats.dials++
      stats.dialsFailed++
      metrics.dial('failed')
      if (hasCode(err, RejectedError.code) && (err as RejectedError).reason === 'auth_failure') {
        // The node at that address is not who the book says: drop it.
        book.markBad(addr, config.defaultBanTimeMs)
        this.attempts.clear(addr)
      } else {
        book.markAttempt(addr)
        this.attempts.failed(addr, clock.now())
      }
      throw err
    }
  }

  /** {@link PeerManager.dialPeer}, logging instead of rejecting; resolves to the peer or `undefined`. */
  async tryDial(addr: NetAddress): Promise<Peer | undefined> {
    try {
      return await this.dialPeer(addr)
    } catch (err) {
      if (!this.#ctx.signal.aborted) this.#ctx.logger.debug('not dialed', { addr: addr.toString(), error: errorText(err) })
      return undefined
    }
  }

  /** Starts {@link PeerManager.tryDial} without waiting for it. */
  dialInBackground(addr: NetAddress): void {
    this.#ctx.tasks.track(this.tryDial(addr))
  }

  /** Dials the seeds in random order until one connects (or is already connected); one run at a time. */
  dialSeedsInBackground(): void {
    if (this.#dialingSeeds || this.#ctx.seeds.length === 0) return
    this.#dialingSeeds = true
    this.#ctx.tasks.track(this.#dialSeeds().finally(() => (this.#dialingSeeds = false)))
  }

  async #dialSeeds(): Promise<void> {
    const { sw, seeds, logger, signal } = this.#ctx
    logger.info('dialing seeds')
    for (const i of permutation(seeds.length, this.#ctx.random)) {
      const seed = seeds[i] as NetAddress
      try {
        await sw.dialPeerWithAddress(seed, { signal })
        return
      } catch (err) {
        if (hasCode(err, AlreadyDialingOrConnectedError.code) || signal.aborted) return
        logger.error('dialing seed failed', { seed: seed.toString(), error: errorText(err) })
      }
    }
    logger.error('could not connect to any seed')
  }
}
