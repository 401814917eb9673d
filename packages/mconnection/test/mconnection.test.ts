import { activeResources, waitForNoLeaks } from '@comet-p2p/testing'
import { AbortError, InvalidArgumentError } from '@comet-p2p/types'
import { describe, expect, it } from 'vitest'
import { ConnectionClosedError, MConnection, ReceiveHandlerError, TransportError, defaultMConnectionConfig } from '../src/index.js'
import { bytes, makePeer, memoryPair, sameMessages, ScriptedStream, waitFor } from './helpers.js'

const one = [{ id: 0x01, priority: 1 }]

describe('MConnection basics', () => {
  it('has the reference defaults', () => {
    expect(defaultMConnectionConfig).toEqual({
      sendRate: 512_000,
      recvRate: 512_000,
      maxPacketMsgPayloadSize: 1024,
      flushThrottleMs: 100,
      pingIntervalMs: 60_000,
      pongTimeoutMs: 45_000,
      sendTimeoutMs: 10_000,
      stopTimeoutMs: 10_000,
      writeStallTimeoutMs: 60_000
    })
  })

  it('validates configuration and descriptors', () => {
    const stream = new ScriptedStream()
    const make = (channels: { id: number; priority: number }[], config = {}): MConnection =>
      new MConnection(stream, channels, { onReceive: () => undefined, config })
    expect(() => make([{ id: 256, priority: 1 }])).toThrow(InvalidArgumentError)
    expect(() => make([{ id: 1, priority: 0 }])).toThrow(InvalidArgumentError)
    expect(() => make([{ id: 1, priority: 1 }, { id: 1, priority: 2 }])).toThrow(/duplicate/)
    expect(() => make(one, { pongTimeoutMs: 60_000 })).toThrow(/pongTimeoutMs/)
    expect(() => make(one, { sendRate: -1 })).toThrow(InvalidArgumentError)
    expect(() => make(one, { maxPacketMsgPayloadSize: 0 })).toThrow(InvalidArgumentError)
  })

  it('sends and receives on several channels', async () => {
    const channels = [
      { id: 0x01, priority: 1 },
      { id: 0x20, priority: 5 }
    ]
    const [a, b] = memoryPair(channels)
    expect(await a.conn.send(0x01, new TextEncoder().encode('Cyclops'))).toBe(true)
    expect(a.conn.trySend(0x20, bytes(5000))).toBe(true)
    expect(await b.conn.send(0x20, new Uint8Array(0))).toBe(true)
    await waitFor(() => b.received.length === 2 && a.received.length === 1)
    const byChannel = new Map(b.received.map((r) => [r.channelId, r.message]))
    expect(new TextDecoder().decode(byChannel.get(0x01))).toBe('Cyclops')
    expect(byChannel.get(0x20)).toEqual(bytes(5000))
    expect(a.received[0]).toEqual({ channelId: 0x20, message: new Uint8Array(0) })
    // Received messages are plain, owned copies.
    expect(Object.getPrototypeOf(byChannel.get(0x20))).toBe(Uint8Array.prototype)
    await Promise.all([a.conn.stop(), b.conn.stop()])
  })

  it('refuses sends before start, on unknown channels and after stop', async () => {
    const stream = new ScriptedStream()
    const peer = makePeer(stream, one)
    expect(peer.conn.trySend(0x01, bytes(1))).toBe(false)
    peer.conn.start()
    expect(peer.conn.canSend(0x05)).toBe(false)
    expect(await peer.conn.send(0x05, bytes(1))).toBe(false)
    expect(peer.conn.trySend(0x05, bytes(1))).toBe(false)
    expect(() => peer.conn.trySend(0x01, 'abc' as unknown as Uint8Array)).toThrow(InvalidArgumentError)
    await expect(peer.conn.send(0x01, 'abc' as unknown as Uint8Array)).rejects.toBeInstanceOf(InvalidArgumentError)
    await peer.conn.stop()
    expect(await peer.conn.send(0x01, bytes(1))).toBe(false)
    expect(peer.conn.canSend(0x01)).toBe(false)
    expect(() => peer.conn.start()).toThrow(ConnectionClosedError)
  })

  it('trySend and canSend follow the queue capacity', () => {
    const stream = new ScriptedStream()
    const peer = makePeer(stream, [{ id: 1, priority: 1, sendQueueCapacity: 2 }])
    peer.conn.start()
    // Synchronously nothing is sent yet: the queue holds 2.
    expect(peer.conn.canSend(1)).toBe(true)
    expect(peer.conn.trySend(1, bytes(10))).toBe(true)
    expect(peer.conn.trySend(1, bytes(10))).toBe(true)
    expect(peer.conn.canSend(1)).toBe(false)
    expect(peer.conn.trySend(1, bytes(10))).toBe(false)
    expect(peer.conn.status().channels[0]?.sendQueueSize).toBe(2)
    peer.conn.destroy()
  })

  it('send waits for room, times out with false, and honours its signal', async () => {
    // The peer never reads, so the queue stays full once the stream is.
    const stream = new ScriptedStream()
    stream._write = () => undefined // writes never complete
    const peer = makePeer(stream, one, { config: { sendTimeoutMs: 50 } })
    peer.conn.start()
    const big = bytes(200_000)
    expect(await peer.conn.send(1, big)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(await peer.conn.send(1, big)).toBe(true) // fills the queue behind the stuck one
    const started = Date.now()
    expect(await peer.conn.send(1, bytes(1))).toBe(false)
    expect(Date.now() - started).toBeGreaterThanOrEqual(40)
    const controller = new AbortController()
    const pending = peer.conn.send(1, bytes(1), { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toBeInstanceOf(AbortError)
    const waiting = peer.conn.send(1, bytes(1))
    peer.conn.destroy()
    expect(await waiting).toBe(false)
  })

  it('stop() sends what is queued before closing, and leaves nothing behind', async () => {
    const before = activeResources()
    const [a, b] = memoryPair([{ id: 1, priority: 1, sendQueueCapacity: 50 }], { config: { flushThrottleMs: 100 } })
    const messages = Array.from({ length: 50 }, (_, i) => bytes(3000 + i, i + 1))
    for (const m of messages) expect(a.conn.trySend(1, m)).toBe(true)
    const late = a.conn.send(1, bytes(1))
    await a.conn.stop()
    expect(await late).toBe(false)
    await waitFor(() => b.received.length === 50, 2000, 'all queued messages')
    expect(sameMessages(b.received.map((r) => r.message), messages)).toBe(true)
    await waitFor(() => b.errors.length === 1)
    expect(b.errors[0]).toBeInstanceOf(ConnectionClosedError)
    expect(a.errors).toEqual([])
    await a.conn.stop() // idempotent
    expect(await waitForNoLeaks(before)).toEqual({})
    for (const s of [a.stream, b.stream]) {
      for (const event of ['data', 'end', 'error', 'close', 'drain']) expect(s.listenerCount(event)).toBe(0)
    }
  })

  it('reports the peer closing once, and a stream error as TransportError', async () => {
    const [a, b] = memoryPair(one)
    a.conn.destroy()
    await waitFor(() => b.errors.length > 0)
    expect(b.errors).toHaveLength(1)
    expect(b.errors[0]).toBeInstanceOf(ConnectionClosedError)
    expect(a.errors).toEqual([])

    const stream = new ScriptedStream()
    const peer = makePeer(stream, one)
    peer.conn.start()
    stream.destroy(new Error('ECONNRESET'))
    await waitFor(() => peer.errors.length > 0)
    expect(peer.errors[0]).toBeInstanceOf(TransportError)
    expect((peer.errors[0]!.cause as Error).message).toBe('ECONNRESET')
  })

  it('destroy(error) reports that error once', () => {
    const stream = new ScriptedStream()
    const peer = makePeer(stream, one)
    peer.conn.start()
    const error = new ConnectionClosedError('local reason')
    peer.conn.destroy(error)
    peer.conn.destroy(error)
    expect(peer.errors).toEqual([error])
    expect(stream.destroyed).toBe(true)
  })

  it('a throwing or rejecting onReceive stops the connection with ReceiveHandlerError', async () => {
    for (const handler of [
      () => {
        throw new Error('boom')
      },
      () => Promise.reject(new Error('boom'))
    ]) {
      const [a, b] = memoryPair(one, {}, { onReceive: handler })
      expect(a.conn.trySend(1, bytes(10))).toBe(true)
      await waitFor(() => b.errors.length > 0)
      expect(b.errors[0]).toBeInstanceOf(ReceiveHandlerError)
      expect((b.errors[0]!.cause as Error).message).toBe('boom')
      a.conn.destroy()
    }
  })

  it('reports status like the reference, plus byte counters', async () => {
    const channels = [
      { id: 1, priority: 1 },
      { id: 2, priority: 3, sendQueueCapacity: 7 }
    ]
    const sent: [number, number][] = []
    const got: [number, number][] = []
    const [a, b] = memoryPair(channels, { onPacketSent: (c, n) => sent.push([c, n]) }, { onPacketReceived: (c, n) => got.push([c, n]) })
    await a.conn.send(2, bytes(2500))
    await waitFor(() => b.received.length === 1)
    const status = a.conn.status()
    expect(status.channels).toEqual([
      { id: 1, priority: 1, sendQueueCapacity: 1, sendQueueSize: 0, recentlySent: 0, sentBytes: 0, receivedBytes: 0, recvPendingBytes: 0 },
      expect.objectContaining({ id: 2, priority: 3, sendQueueCapacity: 7, sendQueueSize: 0, recentlySent: 2532, sentBytes: 2532 })
    ])
    expect(status.sendMonitor.bytes).toBe(2532)
    expect(b.conn.status().recvMonitor.bytes).toBe(2532)
    expect(sent).toEqual([
      [2, 1034],
      [2, 1034],
      [2, 464]
    ])
    expect(got).toEqual(sent)
    expect(b.conn.status().channels[1]?.receivedBytes).toBe(2532)
    await Promise.all([a.conn.stop(), b.conn.stop()])
  })

  it('coalesces everything written between flushes into one stream write', async () => {
    for (const flushThrottleMs of [0, 20]) {
      const stream = new ScriptedStream()
      const peer = makePeer(stream, [
        { id: 1, priority: 1, sendQueueCapacity: 100 },
        { id: 2, priority: 2, sendQueueCapacity: 100 }
      ], { config: { flushThrottleMs } })
      peer.conn.start()
      for (let i = 0; i < 50; i++) {
        peer.conn.trySend(1, bytes(100, i))
        peer.conn.trySend(2, bytes(300, i))
      }
      await new Promise((resolve) => setTimeout(resolve, flushThrottleMs + 30))
      expect(stream.written).toHaveLength(1)
      expect(stream.output().length).toBe(50 * 109 + 50 * 312)
      peer.conn.destroy()
    }
  })

  it('survives throwing metrics hooks', async () => {
    const throwing = (): void => {
      throw new Error('hook')
    }
    const [a, b] = memoryPair(one, { onPacketSent: throwing, onPacketReceived: throwing })
    expect(await a.conn.send(1, bytes(3000))).toBe(true)
    await waitFor(() => b.received.length === 1)
    expect([...a.errors, ...b.errors]).toEqual([])
    await Promise.all([a.conn.stop(), b.conn.stop()])
  })
})
