import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { decodePexMessage, encodePexMessage } from '@comet-p2p/types'
import { PEX_CHANNEL } from '../src/index.js'
import { addr, FakePeer, flush, setup } from './fakes.js'

const REQUEST = encodePexMessage({ type: 'pex_request' })
const kinds = (peer: FakePeer): string[] => peer.sent.map((m) => decodePexMessage(m.bytes).type)
const MINUTE = 60_000

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('seed mode: answering', () => {
  it('answers an inbound request once, with a selection biased 30% towards new addresses, then disconnects gracefully', async () => {
    const { reactor, sw, book } = setup({ seedMode: true })
    book.fill([addr(), addr()])
    await reactor.start()
    const peer = sw.connect(new FakePeer({ outbound: false })) as FakePeer
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: REQUEST })
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: REQUEST }) // ignored: the disconnect is under way
    await flush()
    expect(kinds(peer)).toEqual(['pex_addrs'])
    expect(book.selectionBiases).toEqual([30])
    expect(sw.stoppedGracefully).toEqual([peer])
    expect(sw.stoppedForError).toEqual([])
    await reactor.stop()
  })

  it('sends the answer before the disconnect', async () => {
    const { reactor, sw } = setup({ seedMode: true })
    await reactor.start()
    const order: string[] = []
    const peer = sw.connect(new FakePeer({ outbound: false })) as FakePeer
    const send = peer.send.bind(peer)
    peer.send = async (ch, msg) => {
      await Promise.resolve()
      order.push('sent')
      return send(ch, msg)
    }
    const stop = sw.stopPeerGracefully.bind(sw)
    sw.stopPeerGracefully = (p) => {
      order.push('stop')
      return stop(p)
    }
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: REQUEST })
    await flush()
    expect(order).toEqual(['sent', 'stop'])
    await reactor.stop()
  })

  it('treats requests from peers it dialed as a regular node does', async () => {
    const { reactor, sw, book } = setup({ seedMode: true })
    book.needMore = false
    await reactor.start()
    const peer = sw.connect(new FakePeer({ outbound: true })) as FakePeer
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: REQUEST })
    await flush()
    expect(kinds(peer)).toEqual(['pex_addrs'])
    expect(book.selectionBiases).toEqual([]) // unbiased getSelection
    expect(sw.stoppedGracefully).toEqual([])
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: REQUEST })
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: REQUEST })
    expect(sw.stoppedForError).toHaveLength(1) // the flood rule applies
    await reactor.stop()
  })
})

describe('seed mode: crawling', () => {
  it('crawls the book at start when there are no seeds, asking every peer it dials', async () => {
    const { reactor, sw, book } = setup({ seedMode: true })
    book.needMore = false
    const known = [addr(), addr(), addr()]
    book.fill(known)
    await reactor.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(sw.dials.map(String).sort()).toEqual(known.map(String).sort())
    for (const peer of sw.peerMap.values()) expect(kinds(peer as FakePeer)).toEqual(['pex_request'])
    expect(reactor.crawlStatus().peers.map((p) => p.addr.toString()).sort()).toEqual(known.map(String).sort())
    await reactor.stop()
  })

  it('consults the seeds first when it has some', async () => {
    const seed = addr('10.3.0.1')
    const { reactor, sw, book } = setup({ seedMode: true, seeds: [seed.toString()] })
    book.fill([addr(), addr()])
    await reactor.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(sw.dials.map(String)).toEqual([seed.toString()])
    await reactor.stop()
  })

  it('crawls every crawlPeerPeriodMs, skipping peers crawled within minTimeBetweenCrawlsMs', async () => {
    const { reactor, sw, book } = setup({ seedMode: true, crawlPeerPeriodMs: 30_000, minTimeBetweenCrawlsMs: 2 * MINUTE })
    const first = addr()
    book.fill([first])
    await reactor.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(sw.dials).toHaveLength(1)
    // Disconnect it, so a new crawl would dial it again, and learn another address.
    await sw.stopPeerGracefully(sw.peerMap.get(first.id)!)
    const second = addr()
    book.fill([second])
    await vi.advanceTimersByTimeAsync(30_000)
    expect(reactor.stats().crawlRounds).toBe(1)
    expect(sw.dials.map(String)).toEqual([first.toString(), second.toString()])
    await vi.advanceTimersByTimeAsync(60_000) // 90 s after the first crawl: still too soon
    expect(sw.dials).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(30_000) // 120 s
    expect(sw.dials.map(String)).toEqual([first.toString(), second.toString(), first.toString()])
    await reactor.stop()
  })

  it('forgets crawl records older than crawlPeerInfoTtlMs', async () => {
    const { reactor, book, sw } = setup({ seedMode: true, crawlPeerPeriodMs: 1_000, crawlPeerInfoTtlMs: 5_000, minTimeBetweenCrawlsMs: 0 })
    const a = addr()
    book.fill([a])
    await reactor.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(reactor.crawlStatus().peers).toHaveLength(1)
    book.removeAddress(a)
    await sw.stopPeerGracefully(sw.peerMap.get(a.id)!)
    await vi.advanceTimersByTimeAsync(6_000)
    expect(reactor.crawlStatus()).toEqual({ seedMode: true, peers: [] })
    await reactor.stop()
  })

  it('disconnects non-persistent peers connected for seedDisconnectWaitPeriodMs', async () => {
    const { reactor, sw } = setup({ seedMode: true, crawlPeerPeriodMs: 1_000, seedDisconnectWaitPeriodMs: 10_000 })
    await reactor.start()
    const old = sw.connect(new FakePeer({ outbound: true })) as FakePeer
    const persistent = sw.connect(new FakePeer({ outbound: true, persistent: true })) as FakePeer
    await vi.advanceTimersByTimeAsync(5_000)
    const young = sw.connect(new FakePeer({ outbound: false })) as FakePeer
    expect(sw.stoppedGracefully).toEqual([])
    await vi.advanceTimersByTimeAsync(5_000)
    expect(sw.stoppedGracefully).toEqual([old])
    expect(sw.peerMap.has(persistent.id)).toBe(true)
    expect(sw.peerMap.has(young.id)).toBe(true)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(sw.stoppedGracefully).toEqual([old, young])
    await reactor.stop()
  })

  it('does not run the peer manager', async () => {
    const { reactor, sw, book } = setup({ seedMode: true, crawlPeerPeriodMs: 1_000 })
    book.fill([addr()])
    await reactor.start()
    reactor.ensurePeers()
    await vi.advanceTimersByTimeAsync(5_000)
    expect(reactor.stats().ensurePeersRounds).toBe(0)
    expect(book.picks).toEqual([])
    expect(sw.dials).toHaveLength(1) // the crawl's
    await reactor.stop()
    expect(vi.getTimerCount()).toBe(0)
  })
})
