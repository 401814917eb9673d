import { randomBytes } from 'node:crypto'
import { InvalidArgumentError, type NetAddress, type NodeId } from '@comet-p2p/types'
import type { AddrBookLike } from './addrbook-like.js'
import { BookFile } from './book-file.js'
import { BucketHasher } from './bucket-hash.js'
import { BucketStore } from './buckets.js'
import { admit, type AdmissionRules } from './admission.js'
import { encodeAddrBook, type DecodedAddrBook } from './file-format.js'
import { BookLifecycle } from './lifecycle.js'
import { timeFromMs, type GoTime } from './go-time.js'
import { KnownAddress, type KnownAddressInfo } from './known-address.js'
import { resolveOptions, type AddrBookOptions, type ResolvedOptions } from './options.js'
import { ADDRBOOK_KEY_HEX_LENGTH, BUCKET_TYPE_NEW, HASH_KEY_BYTE_LENGTH, MAX_NEW_BUCKETS_PER_ADDRESS } from './params.js'
import { getSelection, getSelectionWithBias, pickAddress, randomInt } from './selection.js'

/** Counts describing a book. */
export interface AddrBookStats {
  /** Entries in the book (`nNew + nOld`). */
  size: number
  /** Entries in new buckets. */
  nNew: number
  /** Entries in old buckets. */
  nOld: number
  /** Node IDs on the ban list (including expired bans not yet reinstated). */
  nBanned: number
}

/**
 * The CometBFT address book: peers we know of, kept in 256 "new" and 64
 * "old" buckets chosen by network group so that no single network can
 * dominate, with good (old), bad and banned peers tracked as in the
 * reference `p2p/pex` address book, and saved to an `addrbook.json` that
 * CometBFT itself can read.
 *
 * Synchronous methods act on memory only; `start()` loads the file and
 * begins periodic saves, `stop()` saves a last time. Without `filePath` the
 * book is in-memory only.
 */
export class AddrBook implements AddrBookLike {
  readonly #options: ResolvedOptions
  #key: string
  #hashKey: Uint8Array
  #store: BucketStore
  readonly #bans = new Map<NodeId, KnownAddress>()
  readonly #ourAddrs = new Set<string>()
  readonly #ourIds = new Set<string>()
  readonly #privateIds = new Set<string>()
  readonly #rules: AdmissionRules
  readonly #lifecycle: BookLifecycle

  constructor(options: AddrBookOptions = {}) {
    this.#options = resolveOptions(options)
    const { filePath, saveIntervalMs, logger } = this.#options
    this.#lifecycle = new BookLifecycle(filePath === undefined ? undefined : new BookFile(filePath, logger), saveIntervalMs, logger, {
      isEmpty: () => this.#store.size === 0 && this.#bans.size === 0,
      encode: () => encodeAddrBook({ key: this.#key, hashKey: this.#hashKey, entries: this.#store.lookup.values(), bans: this.#bans.values() }),
      restore: (decoded) => this.#restore(decoded),
      now: () => this.#now()
    })
    this.#rules = { bans: this.#bans, privateIds: this.#privateIds, ourAddrs: this.#ourAddrs, ourIds: this.#ourIds, routabilityStrict: this.#options.routabilityStrict }
    this.#key = randomBytes(ADDRBOOK_KEY_HEX_LENGTH / 2).toString('hex')
    this.#hashKey = new Uint8Array(randomBytes(HASH_KEY_BYTE_LENGTH))
    this.#store = this.#newStore()
  }

  /** The file the book loads from and saves to, if any. */
  get filePath(): string | undefined {
    return this.#options.filePath
  }

  /** Whether non-routable addresses are refused. */
  get routabilityStrict(): boolean {
    return this.#options.routabilityStrict
  }

  /** The reference `key`: 24 hex characters mixed into bucket placement and kept in the file. */
  get key(): string {
    return this.#key
  }

  // ---- lifecycle -------------------------------------------------------

  /**
   * Loads the file (a missing file is an empty book) and starts the periodic
   * save. Rejects with an `AddrBookFileError` when the file cannot be read or
   * is corrupt; the book then stays unstarted and will not save over the
   * file. Throws `AddrBookStateError` when called twice, after `stop()`,
   * or when addresses were added before the file was loaded.
   */
  async start(): Promise<void> {
    await this.#lifecycle.start()
  }

  /** Stops the periodic save and saves once more. Idempotent; a book that never started just stays stopped. */
  async stop(): Promise<void> {
    await this.#lifecycle.stop()
  }

  /**
   * Writes the book to its file atomically and durably (see the README).
   * Concurrent calls are written in order, each with the content of the
   * moment it was called. Does nothing for an in-memory book; throws
   * `AddrBookStateError` if the file was never (successfully) loaded.
   */
  async save(): Promise<void> {
    await this.#lifecycle.save()
  }

  #restore(decoded: DecodedAddrBook): void {
    this.#key = decoded.key ?? this.#key
    this.#hashKey = decoded.hashKey ?? this.#hashKey
    this.#store = this.#newStore()
    // Our own node ID (addOurAddress may come before the load) is never a peer.
    for (const ka of decoded.entries) if (!this.#ourIds.has(ka.id)) this.#store.insertLoaded(ka)
    for (const ka of decoded.bans) this.#bans.set(ka.id, ka)
  }

  #newStore(): BucketStore {
    const { routabilityStrict, newBucketSize, oldBucketSize, logger } = this.#options
    return new BucketStore(new BucketHasher(this.#key, this.#hashKey, routabilityStrict), { newBucketSize, oldBucketSize }, logger)
  }

  #now(): GoTime {
    return timeFromMs(this.#options.clock.now())
  }

  // ---- our addresses and private IDs -----------------------------------

  /**
   * Remembers one of our own addresses, which `addAddress` will then refuse,
   * together with any other address carrying its node ID (the reference
   * refuses only the exact `id@ip:port`). An entry with that ID already in
   * the book is removed.
   */
  addOurAddress(addr: NetAddress): void {
    this.#ourAddrs.add(addr.toString())
    if (addr.id === '') return
    this.#ourIds.add(addr.id)
    const known = this.#store.lookup.get(addr.id)
    if (known !== undefined) this.removeAddress(known.addr)
  }

  /** Whether `addr` (exact `id@ip:port`) is one of our own addresses. */
  ourAddress(addr: NetAddress): boolean {
    return this.#ourAddrs.has(addr.toString())
  }

  /** Node IDs that `addAddress` refuses, as the address and as its source. */
  addPrivateIDs(ids: Iterable<string>): void {
    for (const id of ids) this.#privateIds.add(id)
  }

  // ---- adding and removing ---------------------------------------------

  /**
   * Adds `addr`, learnt from `src`, to a new bucket. A node ID already in
   * the book is only given another new bucket (up to
   * {@link MAX_NEW_BUCKETS_PER_ADDRESS}), with probability 1/(2·buckets), and
   * never when it is old; its stored address does not change. Throws, in
   * this order: `AddrBookNilAddrError`, `AddrBookInvalidAddrError`,
   * `AddrBookBannedError`, `AddrBookPrivateError`,
   * `AddrBookPrivateSrcError`, `AddrBookSelfError`,
   * `AddrBookNonRoutableError` (strict books only). `src` need not be
   * valid: the switch passes its own listen address, often 0.0.0.0.
   */
  addAddress(address: NetAddress | null | undefined, source: NetAddress | null | undefined): void {
    const now = this.#now()
    const { addr, src } = admit(address, source, this.#rules, now)
    let ka = this.#store.lookup.get(addr.id)
    if (ka !== undefined) {
      // Never let a known-good peer's address be displaced or multiplied.
      if (ka.isOld() || ka.buckets.length >= MAX_NEW_BUCKETS_PER_ADDRESS) return
      if (randomInt(this.#options.random, 2 * ka.buckets.length) !== 0) return
    } else {
      ka = new KnownAddress(addr, src, { lastAttempt: now })
    }
    this.#store.addToNew(ka, this.#store.hasher.newBucket(addr, src), now)
  }

  /** Removes the entry with `addr`'s node ID, if any. */
  removeAddress(addr: NetAddress): void {
    const ka = this.#store.lookup.get(addr.id)
    if (ka !== undefined) this.#store.removeFromAll(ka)
  }

  // ---- marking -----------------------------------------------------------

  /** Marks the peer good: attempts reset, last success now, and a new entry moves to its old bucket. */
  markGood(id: NodeId): void {
    const ka = this.#store.lookup.get(id)
    if (ka === undefined) return
    const now = this.#now()
    ka.markGood(now)
    if (ka.isNew()) this.#store.moveToOld(ka, now)
  }

  /** Records a connection attempt to the peer with `addr`'s node ID. */
  markAttempt(addr: NetAddress): void {
    this.#store.lookup.get(addr.id)?.markAttempt(this.#now())
  }

  /**
   * Removes the peer with `addr`'s node ID from the book and bans the ID for
   * `banTimeMs` (an infinite time bans until year 9999). Unknown IDs are
   * ignored, as in the reference.
   */
  markBad(addr: NetAddress, banTimeMs: number): void {
    if (typeof banTimeMs !== 'number' || Number.isNaN(banTimeMs) || banTimeMs < 0) {
      throw new InvalidArgumentError(`banTimeMs must be a non-negative number, got ${String(banTimeMs)}`)
    }
    const ka = this.#store.lookup.get(addr.id)
    if (ka === undefined) return
    if (!this.#bans.has(ka.id)) {
      ka.ban(this.#now(), banTimeMs)
      this.#bans.set(ka.id, ka)
    }
    this.#store.removeFromAll(ka)
  }

  /**
   * Puts every peer whose ban has expired back into a new bucket. (The
   * reference tries to add a banned old entry back without making it new,
   * fails its own consistency check and loses the entry; here it comes back
   * as a new entry.)
   */
  reinstateBadPeers(): void {
    const now = this.#now()
    for (const [id, ka] of this.#bans) {
      if (ka.isBanned(now)) continue
      this.#bans.delete(id)
      if (this.#store.lookup.has(id)) continue
      ka.bucketType = BUCKET_TYPE_NEW
      ka.buckets = []
      this.#store.addToNew(ka, this.#store.hasher.newBucket(ka.addr, ka.src), now)
      this.#options.logger.info('address book: reinstated address', { addr: ka.key })
    }
  }

  // ---- queries -------------------------------------------------------------

  /** Whether an entry with `addr`'s node ID is in the book. */
  hasAddress(addr: NetAddress): boolean {
    return this.#store.lookup.has(addr.id)
  }

  /** Whether the peer's entry is old (marked good). False for an unknown peer, where the reference crashes. */
  isGood(addr: NetAddress): boolean {
    return this.#store.lookup.get(addr.id)?.isOld() ?? false
  }

  /** Whether `addr`'s node ID is banned now (an expired ban no longer counts). */
  isBanned(addr: NetAddress): boolean {
    return this.#bans.get(addr.id)?.isBanned(this.#now()) ?? false
  }

  /** Number of entries. */
  size(): number {
    return this.#store.size
  }

  /** Whether the book has no entry. */
  empty(): boolean {
    return this.#store.size === 0
  }

  /** Whether the book holds fewer than `needAddressThreshold` (default 1000) entries. */
  needMoreAddrs(): boolean {
    return this.#store.size < this.#options.needAddressThreshold
  }

  /** Entry counts. */
  stats(): AddrBookStats {
    return { size: this.#store.size, nNew: this.#store.nNew, nOld: this.#store.nOld, nBanned: this.#bans.size }
  }

  /** See {@link AddrBookLike.pickAddress}; the bias is clamped to 0..100. */
  pickAddress(biasTowardsNewAddrs: number): NetAddress | undefined {
    return pickAddress(this.#store, biasTowardsNewAddrs, this.#options.random)
  }

  /** 23% of the book, at least 32 (or all), at most 250 entries, uniformly at random. */
  getSelection(): NetAddress[] {
    return getSelection(this.#store, this.#options.random)
  }

  /** Like {@link AddrBook.getSelection}, new entries first, then old ones (see the README). */
  getSelectionWithBias(biasTowardsNewAddrs: number): NetAddress[] {
    return getSelectionWithBias(this.#store, biasTowardsNewAddrs, this.#options.random)
  }

  /** Read-only copies of every entry. */
  listOfKnownAddresses(): KnownAddressInfo[] {
    return Array.from(this.#store.lookup.values(), (ka) => ka.info())
  }

  /** A read-only copy of the entry for a node ID (or an address's ID), or `undefined`. */
  knownAddress(addrOrId: NetAddress | NodeId): KnownAddressInfo | undefined {
    return this.#store.lookup.get(typeof addrOrId === 'string' ? addrOrId : addrOrId.id)?.info()
  }

  /** Read-only copies of the ban list; `lastBanTime` is when each ban ends. */
  listOfBannedAddresses(): KnownAddressInfo[] {
    return Array.from(this.#bans.values(), (ka) => ka.info())
  }
}

