import { duplexPair } from '@comet-p2p/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WriteStalledError } from '../src/index.js'
import { makePeer } from './helpers.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const channels = [{ id: 1, priority: 1, sendQueueCapacity: 4 }]

describe('stalled writes', () => {
  it('a peer that never reads is dropped with WriteStalledError after writeStallTimeoutMs; every timer released', async () => {
    const [ours, theirs] = duplexPair({ highWaterMark: 1024 })
    const peer = makePeer(ours, channels, { config: { writeStallTimeoutMs: 5000, sendTimeoutMs: 1000 } })
    peer.conn.start()
    // Nobody reads `theirs`: the pair's buffers fill and writes stop draining.
    expect(peer.conn.trySend(1, new Uint8Array(64 * 1024))).toBe(true)
    await vi.advanceTimersByTimeAsync(4999)
    expect(peer.errors).toEqual([])
    expect(await peer.conn.send(1, new Uint8Array(10))).toBe(true)
    await vi.advanceTimersByTimeAsync(1)
    expect(peer.errors).toHaveLength(1)
    expect(peer.errors[0]).toBeInstanceOf(WriteStalledError)
    expect(peer.errors[0]?.code).toBe('ERR_WRITE_STALLED')
    expect((peer.errors[0] as WriteStalledError).timeoutMs).toBe(5000)
    expect(ours.destroyed).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
    theirs.destroy()
  })

  it('a peer that reads, however late within the limit, is not dropped; the limit starts afresh', async () => {
    const [ours, theirs] = duplexPair({ highWaterMark: 1024 })
    const peer = makePeer(ours, channels, { config: { writeStallTimeoutMs: 5000 } })
    peer.conn.start()
    theirs.pause()
    peer.conn.trySend(1, new Uint8Array(8 * 1024))
    await vi.advanceTimersByTimeAsync(4000)
    // Read everything: the stream drains.
    theirs.resume()
    await vi.advanceTimersByTimeAsync(10)
    theirs.pause()
    peer.conn.trySend(1, new Uint8Array(8 * 1024))
    await vi.advanceTimersByTimeAsync(4000)
    expect(peer.errors).toEqual([])
    theirs.resume()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(peer.errors).toEqual([])
    peer.conn.destroy()
    theirs.destroy()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('0 disables the check', async () => {
    const [ours, theirs] = duplexPair({ highWaterMark: 1024 })
    const peer = makePeer(ours, channels, { config: { writeStallTimeoutMs: 0, pingIntervalMs: 3_600_000, pongTimeoutMs: 1_800_000 } })
    peer.conn.start()
    peer.conn.trySend(1, new Uint8Array(64 * 1024))
    await vi.advanceTimersByTimeAsync(1_000_000)
    expect(peer.errors).toEqual([])
    peer.conn.destroy()
    theirs.destroy()
  })
})
