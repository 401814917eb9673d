import { activeResources, duplexPair, waitForNoLeaks } from '@comet-p2p/testing'
import type { Duplex } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { ConnectionClosedError, type ChannelDescriptor } from '../src/index.js'
import { bytes, pairOver, sameMessages, tcpSockets, waitFor, type Peer } from './helpers.js'

const transports: [string, () => Promise<[Duplex, Duplex]>][] = [
  ['in-memory pair', async () => duplexPair()],
  ['TCP on 127.0.0.1', tcpSockets]
]

async function closeBoth(a: Peer, b: Peer): Promise<void> {
  await Promise.all([a.conn.stop(), b.conn.stop()])
}

describe.each(transports)('over %s', (_name, open) => {
  it('shares the send bandwidth in proportion to channel priorities', async () => {
    const before = activeResources()
    const channels: ChannelDescriptor[] = [
      { id: 0x10, priority: 1, sendQueueCapacity: 200 },
      { id: 0x11, priority: 2, sendQueueCapacity: 200 },
      { id: 0x12, priority: 5, sendQueueCapacity: 200 }
    ]
    const counted = new Map<number, number>(channels.map((c) => [c.id, 0]))
    let total = 0
    const target = 1_500_000
    const [a, b] = pairOver(await open(), channels, {}, {
      onPacketReceived: (channelId, n) => {
        if (total >= target) return
        total += n
        counted.set(channelId, (counted.get(channelId) ?? 0) + n)
      }
    })
    // Every channel has far more queued than its share of `target`: all stay busy.
    for (const c of channels) for (let i = 0; i < 200; i++) expect(a.conn.trySend(c.id, bytes(10_000, i))).toBe(true)
    await waitFor(() => total >= target, 10_000, 'the measured bytes')
    const shares = channels.map((c) => (counted.get(c.id) ?? 0) / total)
    expect(shares[0]).toBeCloseTo(1 / 8, 1)
    expect(shares[1]).toBeCloseTo(2 / 8, 1)
    expect(shares[2]).toBeCloseTo(5 / 8, 1)
    for (let i = 0; i < 3; i++) expect(Math.abs((shares[i] as number) - [1 / 8, 2 / 8, 5 / 8][i]!)).toBeLessThan(0.02)
    a.conn.destroy()
    await waitFor(() => b.errors.length === 1)
    expect(await waitForNoLeaks(before)).toEqual({})
  })

  it('delivers interleaved large and small messages intact and in order, both ways', async () => {
    const channels: ChannelDescriptor[] = [
      { id: 1, priority: 1, sendQueueCapacity: 4 },
      { id: 2, priority: 3, sendQueueCapacity: 4 },
      { id: 3, priority: 1, sendQueueCapacity: 4 }
    ]
    const [a, b] = pairOver(await open(), channels, { config: { flushThrottleMs: 2 } })
    const plan: [number, Uint8Array][] = []
    for (let i = 0; i < 60; i++) {
      plan.push([1, bytes(i % 10 === 0 ? 300_000 : 10 + i, i + 1)])
      plan.push([2, bytes(i * 37, i + 1000)])
      if (i % 7 === 0) plan.push([3, bytes(70_000 + i, i + 2000)])
    }
    const sendAll = async (from: Peer): Promise<void> => {
      await Promise.all(
        [1, 2, 3].map(async (ch) => {
          for (const [c, m] of plan) if (c === ch) expect(await from.conn.send(c, m)).toBe(true)
        })
      )
    }
    await Promise.all([sendAll(a), sendAll(b)])
    await waitFor(() => a.received.length === plan.length && b.received.length === plan.length, 10_000, 'all messages')
    for (const peer of [a, b]) {
      for (const ch of [1, 2, 3]) {
        const got = peer.received.filter((r) => r.channelId === ch).map((r) => r.message)
        const want = plan.filter(([c]) => c === ch).map(([, m]) => m)
        expect(got.length).toBe(want.length)
        got.forEach((m, i) => expect(Buffer.from(m).equals(Buffer.from(want[i]!))).toBe(true))
      }
    }
    expect([...a.errors, ...b.errors]).toEqual([])
    await closeBoth(a, b)
  })

  it('holds the send rate limit', async () => {
    const rate = 200_000
    const [a, b] = pairOver(await open(), [{ id: 1, priority: 1, sendQueueCapacity: 100 }], { config: { sendRate: rate } })
    const payload = 150_000
    const started = Date.now()
    for (let i = 0; i < 15; i++) a.conn.trySend(1, bytes(10_000, i))
    await waitFor(() => b.received.length === 15, 5000, 'the messages')
    const elapsed = (Date.now() - started) / 1000
    // Allowed ahead of time: the bucket's burst (rate / 10) and one batch of 10 packets.
    const allowance = rate / 10 + 10 * 1034
    expect(elapsed).toBeGreaterThanOrEqual(((payload - allowance) / rate) * 0.95)
    expect(a.conn.status().sendMonitor.bytes).toBeGreaterThan(payload)
    await closeBoth(a, b)
  })

  it('holds the receive rate limit', async () => {
    const rate = 200_000
    const [a, b] = pairOver(
      await open(),
      [{ id: 1, priority: 1, sendQueueCapacity: 100 }],
      {},
      { config: { recvRate: rate } }
    )
    const payload = 150_000
    const started = Date.now()
    for (let i = 0; i < 15; i++) a.conn.trySend(1, bytes(10_000, i))
    await waitFor(() => b.received.length === 15, 5000, 'the messages')
    const elapsed = (Date.now() - started) / 1000
    // Reading pauses only after a chunk: allow the burst plus one chunk of up to 64 KiB.
    expect(elapsed).toBeGreaterThanOrEqual(((payload - rate / 10 - 65_536) / rate) * 0.95)
    await closeBoth(a, b)
  })

  it('stop() delivers everything queued, then the peer sees the close; nothing leaks', async () => {
    const before = activeResources()
    const [a, b] = pairOver(await open(), [{ id: 7, priority: 1, sendQueueCapacity: 20 }], { config: { flushThrottleMs: 100, sendRate: 2_000_000 } })
    const messages = Array.from({ length: 20 }, (_, i) => bytes(20_000 + i, i + 1))
    for (const m of messages) expect(a.conn.trySend(7, m)).toBe(true)
    await a.conn.stop()
    await waitFor(() => b.errors.length === 1, 5000, 'the close')
    expect(sameMessages(b.received.map((r) => r.message), messages)).toBe(true)
    expect(b.errors[0]).toBeInstanceOf(ConnectionClosedError)
    expect(await waitForNoLeaks(before)).toEqual({})
  })
})
