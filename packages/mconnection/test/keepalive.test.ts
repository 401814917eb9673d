import { duplexPair, toHex } from '@comet-p2p/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PongTimeoutError } from '../src/index.js'
import { bytes, makePeer, pairOver, ScriptedStream } from './helpers.js'

const PING = '020a00'
const PONG = '021200'
const keepalive = { pingIntervalMs: 1000, pongTimeoutMs: 500 }

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

function started(config = {}): { stream: ScriptedStream; peer: ReturnType<typeof makePeer> } {
  const stream = new ScriptedStream()
  const peer = makePeer(stream, [{ id: 1, priority: 1, sendQueueCapacity: 10 }], { config: { ...keepalive, ...config } })
  peer.conn.start()
  return { stream, peer }
}

describe('keepalive', () => {
  it('pings every interval and is satisfied by pongs', async () => {
    const { stream, peer } = started()
    await vi.advanceTimersByTimeAsync(999)
    expect(toHex(stream.output())).toBe('')
    await vi.advanceTimersByTimeAsync(1)
    expect(toHex(stream.output())).toBe(PING)
    stream.push(Buffer.from(PONG, 'hex'))
    await vi.advanceTimersByTimeAsync(1000)
    expect(toHex(stream.output())).toBe(PING + PING)
    stream.push(Buffer.from(PONG, 'hex'))
    await vi.advanceTimersByTimeAsync(999)
    expect(peer.errors).toEqual([])
    peer.conn.destroy()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('stops with PongTimeoutError, once, when no pong comes; releases every timer', async () => {
    const { stream, peer } = started()
    await vi.advanceTimersByTimeAsync(1499)
    expect(peer.errors).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(peer.errors).toHaveLength(1)
    expect(peer.errors[0]).toBeInstanceOf(PongTimeoutError)
    expect(peer.errors[0]?.code).toBe('ERR_PONG_TIMEOUT')
    expect(stream.destroyed).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(peer.errors).toHaveLength(1)
  })

  it('answers pings at once, with one pong per chunk however many pings it holds', async () => {
    const { stream, peer } = started()
    stream.push(Buffer.from(PING + PING + PING, 'hex'))
    await vi.advanceTimersByTimeAsync(0)
    expect(toHex(stream.output())).toBe(PONG)
    stream.push(Buffer.from(PING, 'hex'))
    await vi.advanceTimersByTimeAsync(0)
    expect(toHex(stream.output())).toBe(PONG + PONG)
    // Unsolicited pongs are harmless, as in the reference.
    stream.push(Buffer.from(PONG + PONG, 'hex'))
    await vi.advanceTimersByTimeAsync(0)
    expect(peer.errors).toEqual([])
    peer.conn.destroy()
  })

  it('sends pongs ahead of queued data', async () => {
    // 10 KB/s: a 100 KB message takes ~10 s to leave.
    const { stream, peer } = started({ sendRate: 10_000, flushThrottleMs: 100 })
    expect(peer.conn.trySend(1, bytes(100_000))).toBe(true)
    await vi.advanceTimersByTimeAsync(200)
    const before = stream.output().length
    expect(before).toBeLessThan(20_000)
    stream.push(Buffer.from(PING, 'hex'))
    await vi.advanceTimersByTimeAsync(0)
    const out = stream.output()
    expect(toHex(out.subarray(out.length - 3))).toBe(PONG)
    expect(out.length - before).toBeLessThan(3000)
    peer.conn.destroy()
  })

  it('does not time out the peer, nor itself, while a slow consumer holds reading back', async () => {
    const channels = [{ id: 1, priority: 1, sendQueueCapacity: 1000, recvBufferCapacity: 4096 }]
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const handled: Uint8Array[] = []
    const [a, b] = pairOver(duplexPair(), channels, { config: keepalive }, {
      config: keepalive,
      onReceive: async (_ch, message) => {
        await gate
        handled.push(message)
      }
    })
    const messages = Array.from({ length: 1000 }, (_, i) => bytes(1000, i + 1))
    for (const m of messages) expect(a.conn.trySend(1, m)).toBe(true)
    // Twenty ping periods with B's consumer stuck.
    for (let i = 0; i < 40; i++) await vi.advanceTimersByTimeAsync(500)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
    // Backpressure held: B read only a bounded amount, A still has most queued.
    const read = b.conn.status().recvMonitor.bytes
    expect(read).toBeLessThan(200_000)
    expect(a.conn.status().channels[0]!.sendQueueSize).toBeGreaterThan(700)
    expect(b.conn.status().channels[0]!.recvPendingBytes).toBeLessThan(4096 + 70_000)
    release()
    for (let i = 0; i < 200 && handled.length < 1000; i++) await vi.advanceTimersByTimeAsync(10)
    expect(handled.length).toBe(1000)
    expect(handled.every((m, i) => Buffer.from(m).equals(Buffer.from(messages[i]!)))).toBe(true)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
    a.conn.destroy()
    b.conn.destroy()
    expect(vi.getTimerCount()).toBe(0)
  })
})
