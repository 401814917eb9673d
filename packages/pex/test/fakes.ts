import type { AddrBookLike } from '@comet-p2p/addrbook'
import type { ConnectionStatus } from '@comet-p2p/mconnection'
import {
  AlreadyDialingOrConnectedError,
  DialError,
  type BroadcastResult,
  type Peer,
  type PeerCounts,
  type PeerSetLike,
  type Reactor,
  type SwitchLike
} from '@comet-p2p/switch'
import { NetAddress, silentLogger, type Clock, type Logger, type NodeId, type NodeInfo } from '@comet-p2p/types'
import { PexReactor, type PexReactorOptions } from '../src/index.js'

let counter = 0

/** A fresh, valid node ID (40 hex characters), distinct on every call. */
export function nodeId(): NodeId {
  counter++
  return counter.toString(16).padStart(40, 'a')
}

/** An address with a fresh ID; `ip` and `port` default to a routable test address. */
export function addr(ip = `10.0.${counter >> 8}.${counter & 0xff}`, port = 26656, id = nodeId()): NetAddress {
  return NetAddress.fromParts(id, ip, port)
}

/** A clock reading `Date.now()`, which vitest's fake timers control. */
export const fakeTimersClock: Clock = { now: () => Date.now() }

/** A deterministic pseudo-random source (mulberry32). */
export function seededRandom(seed = 1): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface SentMessage {
  channelId: number
  bytes: Uint8Array
}

/** A peer that records what is sent to it. */
export class FakePeer implements Peer {
  readonly id: NodeId
  readonly nodeInfo: NodeInfo
  readonly isOutbound: boolean
  readonly isPersistent: boolean
  readonly isUnconditional = false
  readonly socketAddr: NetAddress
  readonly remoteIp: string
  readonly sent: SentMessage[] = []
  isRunning = true
  readonly #data = new Map<string, unknown>()
  readonly #created: number
  readonly #clock: Clock

  constructor(
    options: { addr?: NetAddress; outbound?: boolean; persistent?: boolean; listenAddr?: string; clock?: Clock } = {}
  ) {
    const a = options.addr ?? addr()
    this.id = a.id
    this.isOutbound = options.outbound ?? false
    this.isPersistent = options.persistent ?? false
    this.#clock = options.clock ?? fakeTimersClock
    this.#created = this.#clock.now()
    // Inbound peers connect from an ephemeral port; they listen on the address given.
    this.socketAddr = this.isOutbound ? a : NetAddress.fromParts(a.id, a.ip, 40000 + (counter % 1000))
    this.remoteIp = a.ip
    this.nodeInfo = {
      protocolVersion: { p2p: 8, block: 11, app: 0 },
      id: a.id,
      listenAddr: options.listenAddr ?? a.dialString(),
      network: 'test-chain',
      version: '0.34.27',
      channels: Uint8Array.of(0x00),
      moniker: 'fake',
      other: { txIndex: 'off', rpcAddress: '' }
    }
  }

  /** The address it listens on. */
  get listenAddr(): NetAddress {
    return NetAddress.fromString(`${this.id}@${this.nodeInfo.listenAddr}`)
  }

  send(channelId: number, message: Uint8Array): Promise<boolean> {
    return Promise.resolve(this.trySend(channelId, message))
  }

  trySend(channelId: number, message: Uint8Array): boolean {
    if (!this.isRunning) return false
    this.sent.push({ channelId, bytes: Uint8Array.from(message) })
    return true
  }

  canSend(): boolean {
    return this.isRunning
  }

  hasChannel(channelId: number): boolean {
    return channelId === 0
  }

  get(key: string): unknown {
    return this.#data.get(key)
  }

  set(key: string, value: unknown): void {
    this.#data.set(key, value)
  }

  status(): ConnectionStatus {
    const flow = { active: true, start: this.#created, duration: 0, idle: 0, bytes: 0, samples: 0, instRate: 0, curRate: 0, avgRate: 0, peakRate: 0, bytesRem: 0, timeRem: 0, progress: 0 }
    return { durationMs: this.#clock.now() - this.#created, sendMonitor: flow, recvMonitor: flow, channels: [] } as unknown as ConnectionStatus
  }
}

/** How a fake dial ends: a peer is added, or the error is thrown. */
export type DialOutcome = 'ok' | Error

/** A switch with a peer set, a dial log, and programmable dial outcomes. */
export class FakeSwitch implements SwitchLike {
  readonly logger: Logger = silentLogger
  isRunning = true
  maxOutbound = 10
  readonly peerMap = new Map<NodeId, Peer>()
  readonly dialing = new Set<NodeId>()
  readonly dials: NetAddress[] = []
  readonly stoppedForError: { peer: Peer; reason: unknown }[] = []
  readonly stoppedGracefully: Peer[] = []
  readonly persistent = new Set<string>()
  /** Decides each dial's outcome; default: connects. */
  dialOutcome: (addr: NetAddress) => DialOutcome | Promise<DialOutcome> = () => 'ok'
  reactor: Reactor | undefined
  #clock: Clock = fakeTimersClock

  useClock(clock: Clock): void {
    this.#clock = clock
  }

  peers(): PeerSetLike {
    const map = this.peerMap
    return {
      has: (id) => map.has(id),
      hasIp: (ip) => [...map.values()].some((p) => p.remoteIp === ip),
      get: (id) => map.get(id),
      list: () => [...map.values()],
      get size() {
        return map.size
      }
    }
  }

  numPeers(): PeerCounts {
    let outbound = 0
    let inbound = 0
    for (const peer of this.peerMap.values()) {
      if (peer.isOutbound) outbound++
      else inbound++
    }
    return { outbound, inbound, dialing: this.dialing.size }
  }

  maxNumOutboundPeers(): number {
    return this.maxOutbound
  }

  isDialingOrExistingAddress(a: NetAddress): boolean {
    return this.dialing.has(a.id) || this.peerMap.has(a.id)
  }

  isPeerPersistent(a: NetAddress): boolean {
    return this.persistent.has(a.toString())
  }

  isPeerUnconditional(): boolean {
    return false
  }

  async dialPeerWithAddress(a: NetAddress): Promise<Peer> {
    if (this.isDialingOrExistingAddress(a)) throw new AlreadyDialingOrConnectedError(a)
    this.dials.push(a)
    this.dialing.add(a.id)
    let outcome: DialOutcome
    try {
      outcome = await this.dialOutcome(a)
    } finally {
      this.dialing.delete(a.id)
    }
    if (outcome !== 'ok') throw outcome
    const peer = new FakePeer({ addr: a, outbound: true, persistent: this.isPeerPersistent(a), clock: this.#clock })
    this.connect(peer)
    return peer
  }

  dialPeersAsync(): Promise<void> {
    return Promise.resolve()
  }

  /** Adds a peer as the switch would, telling the reactor. */
  connect(peer: Peer): Peer {
    this.peerMap.set(peer.id, peer)
    void this.reactor?.addPeer(peer)
    return peer
  }

  stopPeerForError(peer: Peer, reason: unknown): void {
    if (this.peerMap.get(peer.id) !== peer) return
    this.stoppedForError.push({ peer, reason })
    this.#remove(peer, reason)
  }

  stopPeerGracefully(peer: Peer): Promise<void> {
    if (this.peerMap.get(peer.id) === peer) {
      this.stoppedGracefully.push(peer)
      this.#remove(peer, undefined)
    }
    return Promise.resolve()
  }

  markPeerAsGood(): void {}

  broadcast(): Promise<BroadcastResult[]> {
    return Promise.resolve([])
  }

  netAddress(): NetAddress | undefined {
    return undefined
  }

  nodeInfo(): NodeInfo {
    throw new Error('not used')
  }

  #remove(peer: Peer, reason: unknown): void {
    if (peer instanceof FakePeer) peer.isRunning = false
    this.reactor?.removePeer(peer, reason)
    this.peerMap.delete(peer.id)
  }
}

/** A failed dial. */
export function dialFailure(a: NetAddress): DialError {
  return new DialError(a, 'connection refused')
}

interface Entry {
  addr: NetAddress
  src: NetAddress
  old: boolean
}

/** An in-memory book recording the calls the reactor makes. */
export class FakeBook implements AddrBookLike {
  readonly entries = new Map<NodeId, Entry>()
  readonly bans = new Map<NodeId, { addr: NetAddress; until: number }>()
  readonly attempts: NetAddress[] = []
  readonly picks: number[] = []
  readonly added: { addr: NetAddress; src: NetAddress }[] = []
  readonly markedBad: { addr: NetAddress; banTimeMs: number }[] = []
  reinstated = 0
  needMore = true
  started = 0
  stopped = 0
  /** Returned by getSelection / getSelectionWithBias when set; else the whole book. */
  selection: NetAddress[] | undefined
  readonly selectionBiases: number[] = []
  readonly random: () => number
  readonly #clock: Clock

  constructor(options: { clock?: Clock; random?: () => number } = {}) {
    this.#clock = options.clock ?? fakeTimersClock
    this.random = options.random ?? seededRandom(7)
  }

  start(): void {
    this.started++
  }

  stop(): void {
    this.stopped++
  }

  addOurAddress(): void {}
  ourAddress(): boolean {
    return false
  }
  addPrivateIDs(): void {}

  addAddress(a: NetAddress, src: NetAddress): void {
    const ban = this.bans.get(a.id)
    if (ban !== undefined && ban.until > this.#clock.now()) throw new Error(`banned: ${a.toString()}`)
    if (a.valid() !== null) throw new Error(`invalid: ${a.toString()}`)
    this.added.push({ addr: a, src })
    if (!this.entries.has(a.id)) this.entries.set(a.id, { addr: a, src, old: false })
  }

  removeAddress(a: NetAddress): void {
    this.entries.delete(a.id)
  }

  hasAddress(a: NetAddress): boolean {
    return this.entries.has(a.id)
  }

  needMoreAddrs(): boolean {
    return this.needMore
  }

  empty(): boolean {
    return this.entries.size === 0
  }

  pickAddress(bias: number): NetAddress | undefined {
    this.picks.push(bias)
    const all = [...this.entries.values()]
    if (all.length === 0) return undefined
    return all[Math.floor(this.random() * all.length)]!.addr
  }

  markGood(id: NodeId): void {
    const e = this.entries.get(id)
    if (e !== undefined) e.old = true
  }

  markAttempt(a: NetAddress): void {
    this.attempts.push(a)
  }

  markBad(a: NetAddress, banTimeMs: number): void {
    this.markedBad.push({ addr: a, banTimeMs })
    const e = this.entries.get(a.id)
    if (e === undefined) return // as the reference: unknown peers are not banned
    this.bans.set(a.id, { addr: e.addr, until: this.#clock.now() + banTimeMs })
    this.entries.delete(a.id)
  }

  reinstateBadPeers(): void {
    this.reinstated++
    for (const [id, ban] of this.bans) {
      if (ban.until > this.#clock.now()) continue
      this.bans.delete(id)
      this.entries.set(id, { addr: ban.addr, src: ban.addr, old: false })
    }
  }

  isGood(a: NetAddress): boolean {
    return this.entries.get(a.id)?.old ?? false
  }

  isBanned(a: NetAddress): boolean {
    const ban = this.bans.get(a.id)
    return ban !== undefined && ban.until > this.#clock.now()
  }

  getSelection(): NetAddress[] {
    return this.selection ?? [...this.entries.values()].map((e) => e.addr)
  }

  getSelectionWithBias(bias: number): NetAddress[] {
    this.selectionBiases.push(bias)
    return this.getSelection()
  }

  size(): number {
    return this.entries.size
  }

  save(): Promise<void> {
    return Promise.resolve()
  }

  /** Puts addresses straight into the book. */
  fill(addrs: readonly NetAddress[]): void {
    for (const a of addrs) this.entries.set(a.id, { addr: a, src: a, old: false })
  }
}

/** A reactor wired to a fake switch and book, not started. */
export function setup(options: Partial<PexReactorOptions> = {}): { reactor: PexReactor; sw: FakeSwitch; book: FakeBook } {
  const book = (options.book as FakeBook | undefined) ?? new FakeBook()
  const sw = new FakeSwitch()
  const reactor = new PexReactor({ clock: fakeTimersClock, random: seededRandom(3), ...options, book })
  reactor.setSwitch(sw)
  sw.reactor = reactor
  return { reactor, sw, book }
}

/** Lets pending promise callbacks run (several microtask turns). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}
