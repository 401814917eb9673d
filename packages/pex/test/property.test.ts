import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { encodePexMessage, NetAddress } from '@comet-p2p/types'
import { dialBackoffMs, PEX_CHANNEL } from '../src/index.js'
import { RequestTracker } from '../src/request-tracker.js'
import { addr, FakePeer, flush, seededRandom, setup } from './fakes.js'

const hexId = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 40, maxLength: 40 })
const ipv4 = fc.ipV4()
const ipv6 = fc.ipV6().filter((ip) => !ip.includes('.')) // fast-check may embed IPv4 tails; keep plain hex groups

describe('request rate rule (property)', () => {
  it('refuses exactly the requests, from the third on, that come sooner than the interval after the last accepted one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }), fc.integer({ min: 1, max: 40 }), (gaps, interval) => {
        const tracker = new RequestTracker()
        let now = 0
        let accepted = 0
        let lastAcceptedAt: number | undefined
        for (const gap of gaps) {
          now += gap
          const refused = tracker.checkRequest('peer', now, interval) !== undefined
          // Model: the first two pass; the second one starts the clock.
          const expected = accepted >= 2 && lastAcceptedAt !== undefined && now - lastAcceptedAt < interval
          expect(refused).toBe(expected)
          if (refused) return // the reference disconnects the peer here
          accepted++
          if (accepted >= 2) lastAcceptedAt = now
        }
      })
    )
  })
})

describe('dial backoff (property)', () => {
  it('grows with the attempts, stays within the jitter, and honours the caps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.boolean(),
        (attempts, r, cap, persistent) => {
          const settings = { dialBackoffUnitMs: 1000, dialJitterMs: 1000, maxBackoffMs: Infinity, persistentPeersMaxDialPeriodMs: 0 }
          const plain = dialBackoffMs(attempts, persistent, settings, () => r)
          expect(plain).toBeGreaterThanOrEqual(2 ** attempts * 1000)
          expect(plain).toBeLessThan(2 ** attempts * 1000 + 1000)
          expect(dialBackoffMs(attempts + 1, persistent, settings, () => r)).toBeGreaterThan(plain)
          expect(dialBackoffMs(attempts, persistent, { ...settings, maxBackoffMs: cap }, () => r)).toBe(Math.min(plain, cap))
          const persistentCapped = dialBackoffMs(attempts, persistent, { ...settings, persistentPeersMaxDialPeriodMs: cap }, () => r)
          expect(persistentCapped).toBe(persistent && cap > 0 ? Math.min(plain, cap) : plain)
        }
      )
    )
  })
})

describe('reactor (property)', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('never disconnects a peer for a solicited list of well-formed addresses, and always for a bad port', async () => {
    const address = fc.record({ id: hexId, ip: fc.oneof(ipv4, ipv6), port: fc.integer({ min: 0, max: 65535 }) })
    await fc.assert(
      fc.asyncProperty(fc.array(address, { maxLength: 40 }), fc.integer({ min: 65536, max: 2 ** 32 - 1 }), async (addrs, badPort) => {
        for (const poison of [false, true]) {
          const { reactor, sw } = setup()
          await reactor.start()
          const peer = sw.connect(new FakePeer({ outbound: true })) as FakePeer
          const list = poison ? [...addrs, { id: addrs[0]?.id ?? '', ip: '1.2.3.4', port: badPort }] : addrs
          reactor.receive({ channelId: PEX_CHANNEL, peer, message: encodePexMessage({ type: 'pex_addrs', addrs: list }) })
          expect(sw.stoppedForError.length).toBe(poison ? 1 : 0)
          if (!poison) expect(reactor.stats().addrsReceived).toBe(addrs.length)
          await reactor.stop()
        }
      }),
      { numRuns: 50 }
    )
  })

  it('ensurePeers never dials past the target, twice the same node, or a connected node', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 1000 }),
        async (bookSize, connectedCount, target, seed) => {
          const { reactor, sw, book } = setup({ random: seededRandom(seed) })
          sw.maxOutbound = target
          book.needMore = false
          const known = Array.from({ length: bookSize }, () => addr())
          book.fill(known)
          const connected = known.slice(0, connectedCount)
          for (const a of connected) sw.connect(new FakePeer({ addr: a, outbound: true }))
          await reactor.start()
          reactor.ensurePeers()
          await flush()
          const outboundBefore = Math.min(connectedCount, bookSize)
          expect(sw.dials.length).toBeLessThanOrEqual(Math.max(0, target - outboundBefore))
          expect(new Set(sw.dials.map((d) => d.id)).size).toBe(sw.dials.length)
          for (const d of sw.dials) expect(connected.some((c) => c.id === d.id)).toBe(false)
          for (const d of sw.dials) expect(d).toBeInstanceOf(NetAddress)
          await reactor.stop()
        }
      ),
      { numRuns: 100 }
    )
  })
})
