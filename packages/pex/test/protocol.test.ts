import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { decodePexMessage, encodePexMessage, NetAddress, type NetAddressProto } from '@comet-p2p/types'
import {
  InvalidPexAddressError,
  PEX_CHANNEL,
  RequestTooSoonError,
  TooManyAddressesError,
  UnsolicitedAddrsError,
  type PexPeerError
} from '../src/index.js'
import { addr, FakePeer, flush, setup } from './fakes.js'

const REQUEST = encodePexMessage({ type: 'pex_request' })
const addrsMessage = (addrs: readonly NetAddress[] | readonly NetAddressProto[]): Uint8Array =>
  encodePexMessage({ type: 'pex_addrs', addrs: addrs.map((a) => ('toProto' in a ? a.toProto() : a)) })
const kinds = (peer: FakePeer): string[] => peer.sent.map((m) => decodePexMessage(m.bytes).type)

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('requests we send', () => {
  it('keeps one outstanding request per peer', async () => {
    const { reactor, sw, book } = setup()
    book.needMore = false
    await reactor.start()
    const peer = sw.connect(new FakePeer({ outbound: true })) as FakePeer
    reactor.requestAddrs(peer)
    reactor.requestAddrs(peer)
    await flush()
    expect(kinds(peer)).toEqual(['pex_request'])
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: addrsMessage([addr()]) })
    reactor.requestAddrs(peer)
    await flush()
    expect(kinds(peer)).toEqual(['pex_request', 'pex_request'])
    expect(reactor.stats().requestsSent).toBe(2)
    await reactor.stop()
  })

  it('asks an outbound peer for addresses on connect only when the book needs more', async () => {
    const { reactor, sw, book } = setup()
    await reactor.start()
    const asked = sw.connect(new FakePeer({ outbound: true })) as FakePeer
    book.needMore = false
    const notAsked = sw.connect(new FakePeer({ outbound: true })) as FakePeer
    await flush()
    expect(kinds(asked)).toEqual(['pex_request'])
    expect(kinds(notAsked)).toEqual([])
    await reactor.stop()
  })

  it('adds an inbound peer to the book with itself as the source, without asking it', async () => {
    const { reactor, sw, book } = setup()
    await reactor.start()
    const peer = sw.connect(new FakePeer({ outbound: false, listenAddr: 'tcp://10.9.9.9:26656' })) as FakePeer
    await flush()
    expect(kinds(peer)).toEqual([])
    expect(book.added).toHaveLength(1)
    const { addr: added, src } = book.added[0]!
    expect(added.toString()).toBe(`${peer.id}@10.9.9.9:26656`)
    expect(src.equals(added)).toBe(true)
    // Its socket address (an ephemeral port) is not what goes in the book.
    expect(added.port).not.toBe(peer.socketAddr.port)
    await reactor.stop()
  })

  it('does not add an inbound peer whose listen address is a host name (no DNS on peer input)', async () => {
    const { reactor, sw, book } = setup()
    await reactor.start()
    sw.connect(new FakePeer({ outbound: false, listenAddr: 'example.com:26656' }))
    expect(book.added).toHaveLength(0)
    await reactor.stop()
  })

  it('forgets the outstanding request when the peer leaves', async () => {
    const { reactor, sw, book } = setup()
    book.needMore = false
    await reactor.start()
    const a = addr()
    const first = sw.connect(new FakePeer({ addr: a, outbound: true })) as FakePeer
    reactor.requestAddrs(first)
    await sw.stopPeerGracefully(first)
    // Reconnected: the old request does not make its addresses solicited.
    const second = sw.connect(new FakePeer({ addr: a, outbound: true })) as FakePeer
    reactor.receive({ channelId: PEX_CHANNEL, peer: second, message: addrsMessage([addr()]) })
    expect(sw.stoppedForError[0]?.reason).toBeInstanceOf(UnsolicitedAddrsError)
    await reactor.stop()
  })
})

describe('addresses we receive', () => {
  it('adds solicited addresses with the sender as source and reports them to onAddrs', async () => {
    const seen: { from: string; addrs: string[] }[] = []
    const { reactor, sw, book } = setup({ onAddrs: (peer, addrs) => seen.push({ from: peer.id, addrs: addrs.map(String) }) })
    await reactor.start()
    const peer = sw.connect(new FakePeer({ outbound: true })) as FakePeer
    const list = [addr(), addr(), addr()]
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: addrsMessage(list) })
    expect(seen).toEqual([{ from: peer.id, addrs: list.map(String) }])
    expect(book.added.map((e) => e.addr.toString())).toEqual(list.map(String))
    for (const e of book.added) expect(e.src.equals(peer.listenAddr)).toBe(true)
    expect(reactor.stats()).toMatchObject({ addrsMessagesReceived: 1, addrsReceived: 3, addrsAdded: 3 })
    expect(sw.stoppedForError).toEqual([])
    await reactor.stop()
  })

  it('skips addresses the book refuses without punishing the sender (as the reference)', async () => {
    const { reactor, sw, book } = setup()
    await reactor.start()
    const peer = sw.connect(new FakePeer({ outbound: true })) as FakePeer
    const unspecified = NetAddress.fromParts(addr().id, '0.0.0.0', 26656)
    const good = addr()
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: addrsMessage([unspecified, good]) })
    expect(book.hasAddress(good)).toBe(true)
    expect(book.hasAddress(unspecified)).toBe(false)
    expect(sw.stoppedForError).toEqual([])
    expect(reactor.stats().addrsAdded).toBe(1)
    await reactor.stop()
  })

  it('disconnects and bans a peer that sends an unsolicited list (solicited once, then again)', async () => {
    const errors: PexPeerError[] = []
    const { reactor, sw, book } = setup({ onMisbehaviour: (_p, e) => errors.push(e) })
    book.needMore = false
    await reactor.start()
    const peer = sw.connect(new FakePeer({ outbound: true })) as FakePeer
    book.fill([peer.socketAddr])
    reactor.requestAddrs(peer)
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: addrsMessage([addr()]) })
    expect(sw.stoppedForError).toEqual([])
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: addrsMessage([addr()]) })
    expect(sw.stoppedForError).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(UnsolicitedAddrsError)
    expect(errors[0]!.code).toBe('ERR_PEX_UNSOLICITED_ADDRS')
    expect(book.isBanned(peer.socketAddr)).toBe(true)
    await reactor.stop()
  })

  it('disconnects and bans a peer sending an invalid IP or port, even when solicited', async () => {
    for (const bad of [{ ip: '1.2.3.256', port: 26656 }, { ip: '1.2.3.4', port: 70000 }, { ip: 'example.com', port: 1 }]) {
      const { reactor, sw, book } = setup()
      await reactor.start()
      const peer = sw.connect(new FakePeer({ outbound: true })) as FakePeer
      book.fill([peer.socketAddr])
      reactor.receive({ channelId: PEX_CHANNEL, peer, message: addrsMessage([addr().toProto(), { id: addr().id, ...bad }]) })
      expect(sw.stoppedForError[0]?.reason).toBeInstanceOf(InvalidPexAddressError)
      expect(book.isBanned(peer.socketAddr)).toBe(true)
      expect(book.added).toHaveLength(0) // nothing of the list is used
      await reactor.stop()
    }
  })

  it('refuses more addresses in one message than maxAddrsPerMessage', async () => {
    const { reactor, sw, book } = setup({ maxAddrsPerMessage: 5 })
    await reactor.start()
    const peer = sw.connect(new FakePeer({ outbound: true })) as FakePeer
    book.fill([peer.socketAddr])
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: addrsMessage(Array.from({ length: 6 }, () => addr())) })
    const reason = sw.stoppedForError[0]?.reason as TooManyAddressesError
    expect(reason).toBeInstanceOf(TooManyAddressesError)
    expect(reason.count).toBe(6)
    expect(book.isBanned(peer.socketAddr)).toBe(true)
    await reactor.stop()
  })

  it('accepts 250 addresses by default (the most a reference node sends)', async () => {
    const { reactor, sw } = setup()
    await reactor.start()
    const peer = sw.connect(new FakePeer({ outbound: true })) as FakePeer
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: addrsMessage(Array.from({ length: 250 }, () => addr())) })
    expect(sw.stoppedForError).toEqual([])
    expect(reactor.stats().addrsReceived).toBe(250)
    await reactor.stop()
  })

  it('keeps working when the onAddrs hook throws', async () => {
    const { reactor, sw, book } = setup({
      onAddrs: () => {
        throw new Error('boom')
      }
    })
    await reactor.start()
    const peer = sw.connect(new FakePeer({ outbound: true })) as FakePeer
    const a = addr()
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: addrsMessage([a]) })
    expect(book.hasAddress(a)).toBe(true)
    await reactor.stop()
  })

  it('ignores messages while not running', async () => {
    const { reactor, sw } = setup()
    const peer = new FakePeer()
    sw.peerMap.set(peer.id, peer)
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: Uint8Array.of(0xff) })
    expect(sw.stoppedForError).toEqual([])
    expect(reactor.stats().requestsReceived).toBe(0)
  })
})

describe('requests we receive', () => {
  it('answers with a selection of the book', async () => {
    const { reactor, sw, book } = setup()
    const known = [addr(), addr()]
    book.fill(known)
    await reactor.start()
    const peer = sw.connect(new FakePeer()) as FakePeer
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: REQUEST })
    await flush()
    const answer = decodePexMessage(peer.sent[0]!.bytes)
    expect(answer.type).toBe('pex_addrs')
    expect(answer.type === 'pex_addrs' && answer.addrs.map((a) => a.id).sort()).toEqual(
      [...known.map((a) => a.id), peer.id].sort()
    )
    await reactor.stop()
  })

  it('lets the first two requests through and drops a third within ensurePeersPeriod / 3', async () => {
    const { reactor, sw, book } = setup({ ensurePeersPeriodMs: 30_000 })
    await reactor.start()
    const peer = sw.connect(new FakePeer()) as FakePeer
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: REQUEST })
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: REQUEST })
    expect(sw.stoppedForError).toEqual([])
    await vi.advanceTimersByTimeAsync(9_999)
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: REQUEST })
    const reason = sw.stoppedForError[0]?.reason as RequestTooSoonError
    expect(reason).toBeInstanceOf(RequestTooSoonError)
    expect(reason.minIntervalMs).toBe(10_000)
    expect(reason.sinceLastMs).toBe(9_999)
    expect(book.isBanned(peer.socketAddr)).toBe(true)
    expect(book.markedBad[0]!.banTimeMs).toBe(24 * 3600 * 1000)
    await reactor.stop()
  })

  it('accepts requests spaced by at least the minimum interval', async () => {
    const { reactor, sw } = setup({ ensurePeersPeriodMs: 3_000 })
    await reactor.start()
    const peer = sw.connect(new FakePeer()) as FakePeer
    for (let i = 0; i < 6; i++) {
      reactor.receive({ channelId: PEX_CHANNEL, peer, message: REQUEST })
      await vi.advanceTimersByTimeAsync(1_000)
    }
    expect(sw.stoppedForError).toEqual([])
    expect(reactor.stats().requestsReceived).toBe(6)
    await reactor.stop()
  })
})

describe('fast dialing of addresses from a seed', () => {
  async function withSeed(options: Parameters<typeof setup>[0] = {}) {
    const seedAddr = addr('10.200.0.1')
    const ctx = setup({ seeds: [seedAddr.toString()], ...options })
    ctx.book.fill([addr()]) // not empty, so nothing is dialed at start
    ctx.book.needMore = false
    ctx.sw.maxOutbound = 3
    await ctx.reactor.start()
    const seed = ctx.sw.connect(new FakePeer({ addr: seedAddr, outbound: true })) as FakePeer
    ctx.reactor.requestAddrs(seed)
    return { ...ctx, seed }
  }

  it('dials every address received from a configured seed at once (v0.34)', async () => {
    const { reactor, sw, seed } = await withSeed()
    const list = [addr(), addr(), addr(), addr()]
    reactor.receive({ channelId: PEX_CHANNEL, peer: seed, message: addrsMessage(list) })
    await flush()
    expect(sw.dials.map(String).sort()).toEqual(list.map(String).sort())
    await reactor.stop()
  })

  it('does not fast-dial addresses from a peer that is not a seed', async () => {
    const { reactor, sw } = await withSeed()
    const other = sw.connect(new FakePeer({ outbound: true })) as FakePeer
    reactor.requestAddrs(other)
    reactor.receive({ channelId: PEX_CHANNEL, peer: other, message: addrsMessage([addr(), addr()]) })
    await flush()
    expect(sw.dials).toEqual([])
    await reactor.stop()
  })

  it('with seedFastDial "ensurePeers", dials only toward the outbound target', async () => {
    const { reactor, sw, seed } = await withSeed({ seedFastDial: 'ensurePeers' })
    reactor.receive({ channelId: PEX_CHANNEL, peer: seed, message: addrsMessage([addr(), addr(), addr(), addr(), addr()]) })
    await flush()
    expect(sw.dials).toHaveLength(2) // target 3, the seed is one outbound peer
    expect(kinds(seed)).toEqual(['pex_request']) // and no extra request
    await reactor.stop()
  })

  it('with seedFastDial "off", waits for the next round', async () => {
    const { reactor, sw, seed } = await withSeed({ seedFastDial: 'off' })
    reactor.receive({ channelId: PEX_CHANNEL, peer: seed, message: addrsMessage([addr(), addr()]) })
    await flush()
    expect(sw.dials).toEqual([])
    await reactor.stop()
  })
})
