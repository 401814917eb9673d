import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RejectedError } from '@comet-p2p/switch'
import { decodePexMessage, silentLogger } from '@comet-p2p/types'
import { dialBackoffMs, MaxDialAttemptsError, TooEarlyToDialError } from '../src/index.js'
import { addr, dialFailure, FakePeer, flush, setup } from './fakes.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const requestsTo = (peer: FakePeer): number => peer.sent.filter((m) => decodePexMessage(m.bytes).type === 'pex_request').length

describe('ensurePeers: dialing toward the outbound target', () => {
  it('dials up to maxNumOutboundPeers distinct addresses, with bias 10 when there are no outbound peers', async () => {
    const { reactor, sw, book } = setup()
    sw.maxOutbound = 4
    book.fill(Array.from({ length: 10 }, () => addr()))
    book.needMore = false
    await reactor.start()
    reactor.ensurePeers()
    await flush()
    expect(sw.dials).toHaveLength(4)
    expect(new Set(sw.dials.map((a) => a.id)).size).toBe(4)
    expect(new Set(book.picks)).toEqual(new Set([10]))
    expect(sw.numPeers().outbound).toBe(4)
    // At the target: nothing more to dial.
    reactor.ensurePeers()
    await flush()
    expect(sw.dials).toHaveLength(4)
    await reactor.stop()
  })

  it('grows the bias towards new addresses with the outbound peers: min(out, 8) * 10 + 10', async () => {
    for (const [outbound, bias] of [
      [0, 10],
      [3, 40],
      [8, 90],
      [11, 90]
    ] as const) {
      const { reactor, sw, book } = setup()
      sw.maxOutbound = 20
      book.fill([addr()])
      book.needMore = false
      for (let i = 0; i < outbound; i++) sw.connect(new FakePeer({ outbound: true }))
      await reactor.start()
      reactor.ensurePeers()
      expect(book.picks[0]).toBe(bias)
      await reactor.stop()
    }
  })

  it('counts dials in progress toward the target and tries at most 3 picks per missing peer', async () => {
    const { reactor, sw, book } = setup()
    sw.maxOutbound = 3
    book.needMore = false
    let release: () => void = () => undefined
    const pending = new Promise<'ok'>((resolve) => (release = () => resolve('ok')))
    sw.dialOutcome = () => pending
    book.fill([addr(), addr(), addr()])
    await reactor.start()
    reactor.ensurePeers()
    await flush()
    expect(sw.dialing.size).toBe(3)
    book.picks.length = 0
    reactor.ensurePeers()
    expect(book.picks).toHaveLength(0) // numToDial = 3 - (0 + 3) = 0
    release()
    await flush()
    await reactor.stop()

    // With one address for three slots: 9 picks, one dial.
    const second = setup()
    second.sw.maxOutbound = 3
    second.book.needMore = false
    second.book.fill([addr()])
    await second.reactor.start()
    second.reactor.ensurePeers()
    expect(second.book.picks).toHaveLength(9)
    await flush()
    expect(second.sw.dials).toHaveLength(1)
    await second.reactor.stop()
  })

  it('skips addresses already connected or being dialed', async () => {
    const { reactor, sw, book } = setup()
    const connected = addr()
    sw.connect(new FakePeer({ addr: connected, outbound: true }))
    book.fill([connected])
    book.needMore = false
    await reactor.start()
    reactor.ensurePeers()
    await flush()
    expect(sw.dials).toEqual([])
    await reactor.stop()
  })
})

describe('dial backoff and giving up', () => {
  it('waits 2^attempts seconds plus up to 1 s of jitter after failures, then dials again', async () => {
    const { reactor, sw, book } = setup({ random: () => 0.5 })
    sw.maxOutbound = 0 // keep the periodic rounds out of it
    const a = addr()
    book.fill([a])
    book.needMore = false
    sw.dialOutcome = dialFailure
    await reactor.start()

    await expect(reactor.dialPeer(a)).rejects.toThrow('connection refused')
    expect(reactor.attemptsToDial(a)).toBe(1)
    expect(book.attempts.map(String)).toEqual([a.toString()])
    const early = await reactor.dialPeer(a).catch((err: unknown) => err)
    expect(early).toBeInstanceOf(TooEarlyToDialError)
    expect((early as TooEarlyToDialError).backoffMs).toBe(2_500)

    await vi.advanceTimersByTimeAsync(2_499)
    await expect(reactor.dialPeer(a)).rejects.toBeInstanceOf(TooEarlyToDialError)
    await vi.advanceTimersByTimeAsync(1)
    await expect(reactor.dialPeer(a)).rejects.toThrow('connection refused')
    expect(reactor.attemptsToDial(a)).toBe(2)
    const second = (await reactor.dialPeer(a).catch((err: unknown) => err)) as TooEarlyToDialError
    expect(second.backoffMs).toBe(4_500)
    expect(sw.dials).toHaveLength(2)
    expect(reactor.stats()).toMatchObject({ dials: 2, dialsFailed: 2, dialsTooEarly: 3 })

    // A success clears the record.
    sw.dialOutcome = () => 'ok'
    await vi.advanceTimersByTimeAsync(4_500)
    await reactor.dialPeer(a)
    expect(reactor.attemptsToDial(a)).toBe(0)
    await reactor.stop()
  })

  it('marks an address bad after more than maxAttemptsToDial failures', async () => {
    const { reactor, sw, book } = setup({ maxAttemptsToDial: 2, dialBackoffUnitMs: 10, dialJitterMs: 0 })
    sw.maxOutbound = 0 // keep the periodic rounds out of it
    const a = addr()
    book.fill([a])
    sw.dialOutcome = dialFailure
    await reactor.start()
    for (let i = 0; i < 3; i++) {
      await reactor.dialPeer(a).catch(() => undefined)
      await vi.advanceTimersByTimeAsync(1_000)
    }
    expect(reactor.attemptsToDial(a)).toBe(3)
    const err = await reactor.dialPeer(a).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MaxDialAttemptsError)
    expect((err as MaxDialAttemptsError).code).toBe('ERR_PEX_MAX_DIAL_ATTEMPTS')
    expect(book.isBanned(a)).toBe(true)
    expect(book.markedBad[0]!.banTimeMs).toBe(24 * 3600 * 1000)
    expect(sw.dials).toHaveLength(3)
    expect(reactor.stats().dialsGivenUp).toBe(1)
    // The record starts afresh, so the address gets a new chance once reinstated.
    expect(reactor.attemptsToDial(a)).toBe(0)
    await reactor.stop()
  })

  it('never gives up on a persistent peer', async () => {
    const { reactor, sw, book } = setup({ maxAttemptsToDial: 2, dialBackoffUnitMs: 10, dialJitterMs: 0 })
    sw.maxOutbound = 0 // keep the periodic rounds out of it
    const a = addr()
    sw.persistent.add(a.toString())
    book.fill([a])
    sw.dialOutcome = dialFailure
    await reactor.start()
    for (let i = 0; i < 6; i++) {
      await reactor.dialPeer(a).catch(() => undefined)
      await vi.advanceTimersByTimeAsync(10_000)
    }
    expect(sw.dials).toHaveLength(6)
    expect(book.markedBad).toEqual([])
    await reactor.stop()
  })

  it('bans the address at once when the node there is not who the book says (auth failure)', async () => {
    const { reactor, sw, book } = setup()
    const a = addr()
    book.fill([a])
    sw.dialOutcome = (x) => new RejectedError('auth_failure', 'wrong node', { addr: x })
    await reactor.start()
    await expect(reactor.dialPeer(a)).rejects.toBeInstanceOf(RejectedError)
    expect(book.isBanned(a)).toBe(true)
    expect(reactor.attemptsToDial(a)).toBe(0)
    expect(book.attempts).toEqual([])
    await reactor.stop()
  })

  it('computes the backoff with the caps', () => {
    const settings = { dialBackoffUnitMs: 1000, dialJitterMs: 1000, maxBackoffMs: Infinity, persistentPeersMaxDialPeriodMs: 0 }
    expect(dialBackoffMs(0, false, settings, () => 0.9)).toBe(0)
    expect(dialBackoffMs(1, false, settings, () => 0)).toBe(2000)
    expect(dialBackoffMs(16, false, settings, () => 0)).toBe(65_536_000)
    expect(dialBackoffMs(16, false, { ...settings, maxBackoffMs: 600_000 }, () => 0)).toBe(600_000)
    expect(dialBackoffMs(10, true, { ...settings, persistentPeersMaxDialPeriodMs: 5000 }, () => 0)).toBe(5000)
    expect(dialBackoffMs(10, false, { ...settings, persistentPeersMaxDialPeriodMs: 5000 }, () => 0)).toBe(1_024_000)
  })
})

describe('ensurePeers: keeping the book supplied', () => {
  it('reinstates expired bans only when the book needs more addresses', async () => {
    const { reactor, book } = setup()
    book.needMore = false
    await reactor.start()
    reactor.ensurePeers()
    expect(book.reinstated).toBe(0)
    book.needMore = true
    reactor.ensurePeers()
    expect(book.reinstated).toBe(1)
    await reactor.stop()
  })

  it('puts a banned address back into play once its ban is over', async () => {
    const { reactor, sw, book } = setup({ defaultBanTimeMs: 60_000 })
    sw.maxOutbound = 1
    const a = addr()
    book.fill([a])
    book.markBad(a, 60_000)
    await reactor.start()
    reactor.ensurePeers()
    await flush()
    expect(sw.dials).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(60_000)
    reactor.ensurePeers() // reinstates
    reactor.ensurePeers() // dials it
    await flush()
    expect(sw.dials.map(String)).toEqual([a.toString()])
    await reactor.stop()
  })

  it('asks one random connected peer (inbound or outbound) for addresses when the book needs more', async () => {
    const { reactor, sw, book } = setup()
    sw.maxOutbound = 5
    book.fill([addr()])
    await reactor.start()
    const peers = [new FakePeer({ outbound: false }), new FakePeer({ outbound: false }), new FakePeer({ outbound: false })]
    for (const p of peers) sw.connect(p)
    reactor.ensurePeers()
    await flush()
    expect(peers.map(requestsTo).reduce((a, b) => a + b, 0)).toBe(1)
    await reactor.stop()
  })

  it('does nothing about addresses when at the outbound target (as the reference)', async () => {
    const { reactor, sw, book } = setup()
    sw.maxOutbound = 1
    const peer = new FakePeer({ outbound: false })
    await reactor.start()
    sw.connect(peer)
    sw.connect(new FakePeer({ outbound: true }))
    const before = book.reinstated
    reactor.ensurePeers()
    await flush()
    expect(requestsTo(peer)).toBe(0)
    expect(book.reinstated).toBe(before)
    await reactor.stop()
  })

  it('with requestAddrsAtTarget, still asks a random peer at the target (but does not dial seeds)', async () => {
    const seed = addr('10.1.0.9')
    const { reactor, sw, book } = setup({ requestAddrsAtTarget: true, seeds: [seed.toString()] })
    sw.maxOutbound = 1
    await reactor.start()
    book.needMore = false // no request on connect
    const peer = sw.connect(new FakePeer({ outbound: true })) as FakePeer
    book.needMore = true
    reactor.ensurePeers()
    await flush()
    expect(requestsTo(peer)).toBe(1)
    expect(sw.dials).toEqual([])
    await reactor.stop()
  })

  it('dials the seeds in random order until one connects when the book has nothing to dial', async () => {
    const seeds = [addr('10.1.0.1'), addr('10.1.0.2'), addr('10.1.0.3')]
    const { reactor, sw } = setup({ seeds: seeds.map(String) })
    sw.dialOutcome = () => (sw.dials.length === 1 ? dialFailure(seeds[0]!) : 'ok')
    await reactor.start()
    reactor.ensurePeers()
    await flush()
    expect(sw.dials).toHaveLength(2)
    for (const d of sw.dials) expect(seeds.map(String)).toContain(d.toString())
    expect(sw.numPeers().outbound).toBe(1)
    await reactor.stop()
  })

  it('does not dial the seeds while the book has addresses to dial', async () => {
    const seed = addr('10.1.0.1')
    const { reactor, sw, book } = setup({ seeds: [seed.toString()] })
    const a = addr()
    book.fill([a])
    await reactor.start()
    reactor.ensurePeers()
    await flush()
    expect(sw.dials.map(String)).toEqual([a.toString()])
    await reactor.stop()
  })

  it('dials the seeds when every address in the book is already connected', async () => {
    const seed = addr('10.1.0.1')
    const { reactor, sw, book } = setup({ seeds: [seed.toString()] })
    const a = addr()
    book.fill([a])
    sw.connect(new FakePeer({ addr: a, outbound: true }))
    await reactor.start()
    reactor.ensurePeers()
    await flush()
    expect(sw.dials.map(String)).toEqual([seed.toString()])
    await reactor.stop()
  })
})

describe('the ensurePeers routine', () => {
  it('runs at once when the node has no peers, then every ensurePeersPeriodMs', async () => {
    const { reactor } = setup({ ensurePeersPeriodMs: 1_000 })
    await reactor.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(reactor.stats().ensurePeersRounds).toBe(1)
    await vi.advanceTimersByTimeAsync(3_000)
    expect(reactor.stats().ensurePeersRounds).toBe(4)
    await reactor.stop()
  })

  it('delays the first round by a random part of the period when the node already has peers', async () => {
    const { reactor, sw } = setup({ ensurePeersPeriodMs: 30_000, random: () => 0.5 })
    sw.connect(new FakePeer({ outbound: true }))
    await reactor.start()
    await vi.advanceTimersByTimeAsync(14_999)
    expect(reactor.stats().ensurePeersRounds).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(reactor.stats().ensurePeersRounds).toBe(1)
    await reactor.stop()
  })

  it('waits for the switch to run before the first round', async () => {
    const { reactor, sw } = setup({ ensurePeersPeriodMs: 30_000 })
    sw.isRunning = false
    await reactor.start()
    await vi.advanceTimersByTimeAsync(100)
    expect(reactor.stats().ensurePeersRounds).toBe(0)
    sw.isRunning = true
    await vi.advanceTimersByTimeAsync(10)
    expect(reactor.stats().ensurePeersRounds).toBe(1)
    await reactor.stop()
  })

  it('logs a round that throws and keeps going', async () => {
    const errors: string[] = []
    const logger = { ...silentLogger, error: (message: string) => errors.push(message), child: () => logger }
    const { reactor, book } = setup({ ensurePeersPeriodMs: 1_000, logger })
    book.fill([addr()])
    let calls = 0
    book.pickAddress = () => {
      calls++
      throw new Error('book exploded')
    }
    await reactor.start()
    await vi.advanceTimersByTimeAsync(2_000)
    expect(reactor.stats().ensurePeersRounds).toBe(3)
    expect(calls).toBe(3)
    expect(errors).toEqual(['ensure-peers round failed', 'ensure-peers round failed', 'ensure-peers round failed'])
    await reactor.stop()
  })

  it('stops dialing and leaves no timer after stop', async () => {
    const { reactor, book } = setup({ ensurePeersPeriodMs: 1_000 })
    book.fill([addr()])
    await reactor.start()
    await vi.advanceTimersByTimeAsync(0)
    await reactor.stop()
    expect(vi.getTimerCount()).toBe(0)
    const rounds = reactor.stats().ensurePeersRounds
    await vi.advanceTimersByTimeAsync(10_000)
    expect(reactor.stats().ensurePeersRounds).toBe(rounds)
  })
})
