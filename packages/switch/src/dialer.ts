import {
  NetAddressLookupError,
  parseNetAddresses,
  type HostLookup,
  type Logger,
  type NetAddress,
  type NodeId
} from '@comet-p2p/types'
import type { SwitchConfig } from './config.js'
import { parsePersistentPeers, resolvePersistentPeer, selfReportedAddress, shuffle, type PersistentPeer } from './dialing.js'
import { AlreadyDialingOrConnectedError, RejectedError, SwitchStateError } from './errors.js'
import type { Peer } from './peer/peer.js'
import type { PeerLifecycle } from './peer-lifecycle.js'
import type { SwitchPeer } from './peer/switch-peer.js'
import { dialJitter, reconnectSchedule } from './reconnect.js'
import { linkSignals, sleep } from './signals.js'
import type { SwitchEvents } from './switch-options.js'
import type { DialPeerOptions, SwitchAddrBook, SwitchLike } from './switch-like.js'
import { TaskSet } from './tasks.js'
import type { Transport } from './transport/transport.js'

/** What the dialer shares with the switch. */
export interface DialerDeps {
  switch: SwitchLike
  ourId: NodeId
  transport: Transport
  lifecycle: PeerLifecycle
  config: Readonly<SwitchConfig>
  addrBook: SwitchAddrBook | undefined
  logger: Logger
  random: () => number
  lookup: HostLookup | undefined
  stopSignal: AbortSignal
  isRunning(): boolean
  emit<K extends keyof SwitchEvents>(event: K, value: SwitchEvents[K]): void
}

/**
 * Outbound connections: one dial per node ID at a time, `dialPeersAsync`
 * with random order and delays, persistent peers and their reconnect loops.
 */
export class Dialer {
  readonly #d: DialerDeps
  /** Dials in progress by node ID; the value identifies the dial, so a finished dial never clears a newer one. */
  readonly #dialing = new Map<NodeId, { addr: NetAddress }>()
  readonly #reconnecting = new Set<NodeId>()
  readonly #tasks = new TaskSet()
  readonly #private: ReadonlySet<NodeId>
  #persistent: PersistentPeer[] = []

  constructor(deps: DialerDeps) {
    this.#d = deps
    this.#private = new Set(deps.config.privatePeerIds)
  }

  /** Dials in progress. */
  get dialingCount(): number {
    return this.#dialing.size
  }

  isDialing(id: NodeId): boolean {
    return this.#dialing.has(id)
  }

  /** Whether `addr` (exactly: ID, IP and port) is the last known address of a persistent peer. */
  isPersistent(addr: NetAddress): boolean {
    return this.#persistent.some((p) => p.resolved?.equals(addr) === true)
  }

  /** Parses and resolves the configured persistent peers (start). Lookup failures are logged; other errors thrown. */
  async loadPersistentPeers(): Promise<void> {
    const { peers, lookupErrors } = await parsePersistentPeers(this.#d.config.persistentPeers, this.#resolveSettings())
    for (const err of lookupErrors) this.#d.logger.error('cannot resolve a persistent peer; will retry', { error: err.message })
    this.#persistent = peers
  }

  /** Dials the persistent peers (start): resolved ones as `dialPeersAsync` does, unresolved ones through the reconnect loop. */
  dialPersistentPeers(): void {
    const resolved: NetAddress[] = []
    for (const peer of this.#persistent) {
      if (peer.resolved !== undefined) resolved.push(peer.resolved)
      else this.#reconnect(peer)
    }
    this.#dialAddressesAsync(resolved)
  }

  async dialPeerWithAddress(addr: NetAddress, options: DialPeerOptions = {}): Promise<Peer> {
    const d = this.#d
    if (!d.isRunning()) throw new SwitchStateError('cannot dial: the switch is not running')
    if (addr.id === d.ourId) {
      this.rememberSelf(addr)
      throw new RejectedError('self', `${addr.toString()} is our own address`, { id: addr.id, addr })
    }
    if (d.switch.isDialingOrExistingAddress(addr)) throw new AlreadyDialingOrConnectedError(addr)
    const token = { addr }
    this.#dialing.set(addr.id, token)
    const done = (): void => {
      if (this.#dialing.get(addr.id) === token) this.#dialing.delete(addr.id)
    }
    const signal = linkSignals(options.signal, d.stopSignal)
    try {
      const conn = await d.transport.dial(addr, { signal: signal.signal }).catch((err: unknown) => {
        // Cleared before a reconnect loop may start, so that loop's first dial is not refused.
        done()
        this.#dialFailed(addr, err)
        throw err
      })
      return await d.lifecycle.addPeer(conn)
    } finally {
      signal.clear()
      done()
    }
  }

  async dialPeersAsync(addrs: readonly string[]): Promise<void> {
    const d = this.#d
    if (!d.isRunning()) throw new SwitchStateError('cannot dial: the switch is not running')
    const { addresses, errors } = await parseNetAddresses(addrs, this.#resolveSettings())
    for (const err of errors) d.logger.error('bad peer address', { error: err.message })
    const fatal = errors.find((err) => !(err instanceof NetAddressLookupError))
    if (fatal !== undefined) throw fatal
    this.#dialAddressesAsync(addresses)
  }

  /** A peer was stopped for an error: redial it if it is persistent (outbound: the address dialed; inbound: its self-reported one). */
  peerStopped(peer: SwitchPeer, _reason: unknown): void {
    if (!peer.isPersistent || !this.#d.isRunning()) return
    const addr = peer.isOutbound ? peer.socketAddr : selfReportedAddress(peer.nodeInfo)
    if (addr === undefined) {
      this.#d.logger.error('cannot redial an inbound persistent peer: bad self-reported address', { peer: peer.id })
      return
    }
    this.#reconnect(this.#targetFor(addr))
  }

  /** Our own address was dialed or connected to us: drop it from the address book and remember it as ours. */
  rememberSelf(addr: NetAddress): void {
    const book = this.#d.addrBook
    if (book === undefined) return
    try {
      book.removeAddress(addr)
      book.addOurAddress(addr)
    } catch (err) {
      this.#d.logger.error('address book failed to record our address', { addr: addr.toString(), error: String(err) })
    }
  }

  /** Waits for every delayed dial and reconnect loop to end (they end on stop). */
  settle(): Promise<void> {
    return this.#tasks.settle()
  }

  #resolveSettings(): { lookup: HostLookup | undefined; signal: AbortSignal; timeoutMs: number } {
    return { lookup: this.#d.lookup, signal: this.#d.stopSignal, timeoutMs: this.#d.config.lookupTimeoutMs }
  }

  #dialFailed(addr: NetAddress, err: unknown): void {
    const d = this.#d
    if (err instanceof RejectedError) {
      d.emit('peer:rejected', { error: err, direction: 'outbound' })
      if (err.reason === 'self') {
        this.rememberSelf(addr)
        return
      }
    }
    if (d.isRunning() && this.isPersistent(addr)) this.#reconnect(this.#targetFor(addr))
  }

  /** Adds the addresses to the address book, then dials them in random order, each after a random delay. */
  #dialAddressesAsync(addresses: readonly NetAddress[]): void {
    const d = this.#d
    const ours = d.switch.netAddress()
    const isOurs = (addr: NetAddress): boolean => addr.id === d.ourId || (ours !== undefined && addr.same(ours))
    const book = d.addrBook
    if (book !== undefined && addresses.length > 0) {
      for (const addr of addresses) {
        if (isOurs(addr) || this.#private.has(addr.id)) continue
        try {
          book.addAddress(addr, ours ?? addr)
        } catch (err) {
          d.logger.debug('address not added to the address book', { addr: addr.toString(), error: String(err) })
        }
      }
      this.#tasks.track(
        Promise.resolve()
          .then(() => book.save())
          .catch((err: unknown) => d.logger.error('address book save failed', { error: String(err) }))
      )
    }
    for (const addr of shuffle([...addresses], d.random)) {
      if (isOurs(addr)) {
        d.logger.debug('not dialing ourselves', { addr: addr.toString() })
        continue
      }
      this.#tasks.track(this.#dialLater(addr))
    }
  }

  async #dialLater(addr: NetAddress): Promise<void> {
    const d = this.#d
    try {
      await sleep(dialJitter(d.config, d.random), d.stopSignal)
      await this.dialPeerWithAddress(addr)
    } catch (err) {
      if (d.stopSignal.aborted) return
      const expected = err instanceof AlreadyDialingOrConnectedError || (err instanceof RejectedError && err.reason === 'duplicate')
      if (expected) d.logger.debug('not dialing peer', { addr: addr.toString(), error: String(err) })
      else d.logger.error('dialing peer failed', { addr: addr.toString(), error: String(err) })
    }
  }

  #targetFor(addr: NetAddress): PersistentPeer {
    return (
      this.#persistent.find((p) => p.resolved?.equals(addr) === true) ?? {
        original: addr.toString(),
        id: addr.id,
        byName: false,
        resolved: addr
      }
    )
  }

  /** The reference `reconnectToPeer`: one loop per node ID, following {@link reconnectSchedule}. */
  #reconnect(target: PersistentPeer): void {
    if (this.#reconnecting.has(target.id) || !this.#d.isRunning()) return
    this.#reconnecting.add(target.id)
    this.#tasks.track(this.#reconnectLoop(target).finally(() => this.#reconnecting.delete(target.id)))
  }

  async #reconnectLoop(target: PersistentPeer): Promise<void> {
    const d = this.#d
    d.logger.info('reconnecting to peer', { peer: target.original })
    let attempt = 0
    for (const pause of reconnectSchedule(d.config, d.random)) {
      try {
        if (pause > 0) await sleep(pause, d.stopSignal)
        if (!d.isRunning()) return
        attempt++
        const addr = await resolvePersistentPeer(target, this.#resolveSettings())
        await this.dialPeerWithAddress(addr)
        return
      } catch (err) {
        if (err instanceof AlreadyDialingOrConnectedError || d.stopSignal.aborted || !d.isRunning()) return
        d.logger.info('redial failed; will try again', { peer: target.original, attempt, error: String(err) })
      }
    }
    d.logger.error('giving up on reconnecting to peer', { peer: target.original, attempts: attempt })
  }
}
