import { activeResources, waitForNoLeaks } from '@comet-p2p/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { bytes, makePeer, pairOver, ScriptedStream, tcpSockets, waitFor } from './helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('rate limits, by the clock', () => {
  it('sends at most sendRate bytes per second, window after window', async () => {
    vi.useFakeTimers()
    const rate = 100_000
    const stream = new ScriptedStream()
    const peer = makePeer(stream, [{ id: 1, priority: 1, sendQueueCapacity: 100 }], { config: { sendRate: rate, flushThrottleMs: 10 } })
    peer.conn.start()
    for (let i = 0; i < 60; i++) expect(peer.conn.trySend(1, bytes(10_000, i))).toBe(true)
    const windows: number[] = []
    let last = 0
    for (let s = 0; s < 5; s++) {
      await vi.advanceTimersByTimeAsync(1000)
      const total = stream.output().length
      windows.push(total - last)
      last = total
    }
    // The first window may add the initial burst (rate / 10) and a batch of 10 packets.
    expect(windows[0]).toBeLessThanOrEqual(rate + rate / 10 + 10 * 1034)
    for (const w of windows.slice(1)) {
      expect(w).toBeGreaterThan(rate * 0.9)
      expect(w).toBeLessThan(rate * 1.1)
    }
    const status = peer.conn.status()
    expect(status.sendMonitor.curRate).toBeGreaterThan(rate * 0.8)
    expect(status.sendMonitor.curRate).toBeLessThan(rate * 1.2)
    peer.conn.destroy()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('reads at most recvRate bytes per second', async () => {
    vi.useFakeTimers()
    const rate = 100_000
    const stream = new ScriptedStream()
    const peer = makePeer(stream, [{ id: 1, priority: 1 }], { config: { recvRate: rate } })
    peer.conn.start()
    // The peer offers 1 MB, in 1034-byte packets, as fast as we take it.
    const frames: Buffer[] = []
    const data = bytes(1024)
    for (let i = 0; i < 1000; i++) {
      const body = Buffer.concat([Buffer.from([0x08, 0x01, 0x10, 0x01, 0x1a, 0x80, 0x08]), data])
      frames.push(Buffer.concat([Buffer.from([0x8a, 0x08, 0x1a, 0x87, 0x08]), body]))
    }
    let offered = 0
    stream._read = () => {
      while (offered < frames.length) {
        if (!stream.push(frames[offered++])) break
      }
    }
    const windows: number[] = []
    let last = 0
    for (let s = 0; s < 4; s++) {
      await vi.advanceTimersByTimeAsync(1000)
      const total = peer.conn.status().recvMonitor.bytes
      windows.push(total - last)
      last = total
    }
    expect(peer.errors).toEqual([])
    // A chunk is read whole before the limit pauses reading: allow one stream buffer.
    for (const w of windows.slice(1)) {
      expect(w).toBeGreaterThan(rate * 0.8)
      expect(w).toBeLessThan(rate * 1.2 + 16 * 1024)
    }
    expect(peer.received.length).toBeGreaterThan(250)
    peer.conn.destroy()
  })
})

describe('receive backpressure', () => {
  it('pauses the socket while a slow consumer lags, keeping memory bounded, then catches up', async () => {
    const before = activeResources()
    const channels = [
      { id: 1, priority: 1, sendQueueCapacity: 10, recvBufferCapacity: 8192 },
      { id: 2, priority: 1, sendQueueCapacity: 10 }
    ]
    const gates: (() => void)[] = []
    let handled = 0
    let slow = true
    const [a, b] = pairOver(await tcpSockets(), channels, {}, {
      onReceive: (channelId) => {
        if (channelId !== 1) return
        if (!slow) {
          handled++
          return
        }
        return new Promise<void>((resolve) =>
          gates.push(() => {
            handled++
            resolve()
          })
        )
      }
    })
    const total = 2000
    let sent = 0
    const producer = (async () => {
      for (; sent < total; sent++) if (!(await a.conn.send(1, bytes(4096, sent)))) break
    })()
    await new Promise((resolve) => setTimeout(resolve, 300))
    // The consumer has handled nothing: the socket was paused, TCP pushed back on A.
    const read = b.conn.status().recvMonitor.bytes
    expect(read).toBeLessThan(total * 4096 * 0.5)
    expect(b.conn.status().channels[0]!.recvPendingBytes).toBeLessThanOrEqual(8192 + 4096 + 128 * 1024)
    expect(sent).toBeLessThan(total)
    // Other traffic still gets through in the other direction.
    expect(await b.conn.send(2, bytes(10))).toBe(true)
    await waitFor(() => a.received.length === 1)
    // Now consume everything.
    slow = false
    gates.splice(0).forEach((g) => g())
    await producer
    await waitFor(() => handled === total, 10_000, 'all messages handled')
    expect(sent).toBe(total)
    expect([...a.errors, ...b.errors]).toEqual([])
    await Promise.all([a.conn.stop(), b.conn.stop()])
    expect(await waitForNoLeaks(before)).toEqual({})
  })
})

describe('flush throttle, by the clock', () => {
  it('flushes a message at once after a quiet period, then at most once per period', async () => {
    vi.useFakeTimers()
    const stream = new ScriptedStream()
    const peer = makePeer(stream, [{ id: 1, priority: 1, sendQueueCapacity: 100 }], { config: { flushThrottleMs: 100 } })
    peer.conn.start()
    // Nothing flushed for a period: the first message goes with the pass.
    expect(peer.conn.trySend(1, bytes(10, 1))).toBe(true)
    expect(peer.conn.trySend(1, bytes(10, 2))).toBe(true)
    await vi.advanceTimersByTimeAsync(0)
    expect(stream.written).toHaveLength(1)
    // Within the period: batched until it ends, 100 ms after the last flush.
    await vi.advanceTimersByTimeAsync(30)
    expect(peer.conn.trySend(1, bytes(10, 3))).toBe(true)
    await vi.advanceTimersByTimeAsync(40)
    expect(peer.conn.trySend(1, bytes(10, 4))).toBe(true)
    await vi.advanceTimersByTimeAsync(29)
    expect(stream.written).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(stream.written).toHaveLength(2)
    expect(stream.written[1]!.length).toBe(2 * 19)
    // Quiet for a whole period again: at once.
    await vi.advanceTimersByTimeAsync(100)
    expect(peer.conn.trySend(1, bytes(10, 5))).toBe(true)
    await vi.advanceTimersByTimeAsync(0)
    expect(stream.written).toHaveLength(3)
    peer.conn.destroy()
    expect(vi.getTimerCount()).toBe(0)
  })
})

