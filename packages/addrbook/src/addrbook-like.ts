import type { NetAddress, NodeId } from '@comet-p2p/types'

/**
 * What the PEX reactor and the switch need from an address book (the
 * reference `AddrBook` interface minus the service plumbing). Depend on this
 * rather than on {@link AddrBook} to accept any implementation, e.g. a fake
 * in tests.
 */
export interface AddrBookLike {
  /** Remembers one of our own addresses so that it is never added. */
  addOurAddress(addr: NetAddress): void
  /** Whether `addr` is one of our own addresses. */
  ourAddress(addr: NetAddress): boolean
  /** Node IDs that must never enter the book, nor be the source of an address. */
  addPrivateIDs(ids: Iterable<string>): void
  /** Adds `addr`, learnt from `src`, to a new bucket; throws an `AddrBookAddError` subclass on refusal. */
  addAddress(addr: NetAddress, src: NetAddress): void
  /** Removes the entry with `addr`'s node ID. */
  removeAddress(addr: NetAddress): void
  /** Whether an entry with `addr`'s node ID is in the book. */
  hasAddress(addr: NetAddress): boolean
  /** Whether the book holds fewer addresses than it would like. */
  needMoreAddrs(): boolean
  /** Whether the book holds no address (our own and private ones never count). */
  empty(): boolean
  /** A random address to dial, biased towards new ones by `biasTowardsNewAddrs` (0–100); `undefined` if none. */
  pickAddress(biasTowardsNewAddrs: number): NetAddress | undefined
  /** The peer behaved: its entry moves to an old bucket and its attempts reset. */
  markGood(id: NodeId): void
  /** A connection attempt to the peer (successful or not) was made. */
  markAttempt(addr: NetAddress): void
  /** The peer misbehaved: its entry leaves the book and its ID is banned for `banTimeMs`. */
  markBad(addr: NetAddress, banTimeMs: number): void
  /** Puts peers whose ban has expired back into new buckets. */
  reinstateBadPeers(): void
  /** Whether the peer's entry is old (it was marked good); false when unknown. */
  isGood(addr: NetAddress): boolean
  /** Whether the peer's node ID is banned right now; false when unknown. */
  isBanned(addr: NetAddress): boolean
  /** A random sample of the book to send to a peer. */
  getSelection(): NetAddress[]
  /** A random sample with a share of new addresses of at least `biasTowardsNewAddrs` percent. */
  getSelectionWithBias(biasTowardsNewAddrs: number): NetAddress[]
  /** Number of addresses in the book. */
  size(): number
  /** Writes the book to its file (no-op for an in-memory book). */
  save(): Promise<void>
}
