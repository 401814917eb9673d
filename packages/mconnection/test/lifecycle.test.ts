import { activeResources, fromHex, waitForNoLeaks } from '@comet-p2p/testing'
import { describe, expect, it } from 'vitest'
import { systemClock } from '@comet-p2p/types'
import { MalformedPacketError, UnknownChannelError } from '../src/index.js'
import { Channel } from '../src/channel.js'
import { resolveChannels } from '../src/config.js'
import { bytes, makePeer, ScriptedStream, tcpSockets, waitFor } from './helpers.js'

describe('stop and destroy', () => {
  it('stop() gives up flushing after its timeout, and on abort', async () => {
    for (const how of ['timeout', 'abort'] as const) {
      const stream = new ScriptedStream()
      stream._write = () => undefined // the peer never reads
      const peer = makePeer(stream, [{ id: 1, priority: 1, sendQueueCapacity: 5 }])
      peer.conn.start()
      for (let i = 0; i < 5; i++) peer.conn.trySend(1, bytes(200_000, i))
      const controller = new AbortController()
      const stopped = peer.conn.stop(how === 'timeout' ? { timeoutMs: 30 } : { signal: controller.signal })
      if (how === 'abort') setTimeout(() => controller.abort(), 10)
      await stopped
      expect(stream.destroyed).toBe(true)
      expect(peer.conn.isRunning).toBe(false)
      expect(peer.errors).toEqual([])
    }
  })

  it('stop() before start() just closes', async () => {
    const stream = new ScriptedStream()
    const peer = makePeer(stream, [{ id: 1, priority: 1 }])
    await peer.conn.stop()
    expect(stream.destroyed).toBe(true)
  })

  it('a peer error over TCP is reported once and releases the socket and every timer', async () => {
    const before = activeResources()
    const [ours, theirs] = await tcpSockets()
    const peer = makePeer(ours, [{ id: 0x30, priority: 1 }], { config: { flushThrottleMs: 100, pingIntervalMs: 1000, pongTimeoutMs: 500 } })
    peer.conn.start()
    peer.conn.trySend(0x30, bytes(10)) // arms the flush timer
    theirs.write(fromHex('020aff'))
    await waitFor(() => peer.errors.length > 0)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(peer.errors).toHaveLength(1)
    expect(peer.errors[0]).toBeInstanceOf(MalformedPacketError)
    theirs.destroy()
    expect(await waitForNoLeaks(before)).toEqual({})
    expect(ours.listenerCount('data') + ours.listenerCount('error') + ours.listenerCount('close')).toBe(0)
  })

  it('an unknown channel from a raw TCP peer stops the connection', async () => {
    const [ours, theirs] = await tcpSockets()
    const peer = makePeer(ours, [{ id: 0x30, priority: 1 }])
    peer.conn.start()
    theirs.write(fromHex('091a07083110011a0178'))
    await waitFor(() => peer.errors.length > 0)
    expect(peer.errors[0]).toBeInstanceOf(UnknownChannelError)
    await waitFor(() => theirs.destroyed || theirs.readableEnded)
    theirs.destroy()
  })
})

describe('packets on the wire', () => {
  it('keeps packets of channels >= 0x80 within the reference receive limit', async () => {
    const stream = new ScriptedStream()
    const peer = makePeer(stream, [{ id: 0xff, priority: 1 }])
    peer.conn.start()
    await peer.conn.send(0xff, bytes(5000))
    await waitFor(() => stream.output().length > 5000)
    const out = stream.output()
    const sizes: number[] = []
    for (let pos = 0; pos < out.length; ) {
      const length = (out[pos]! & 0x7f) + (out[pos]! >= 0x80 ? out[pos + 1]! * 128 : 0)
      const prefix = out[pos]! >= 0x80 ? 2 : 1
      sizes.push(length)
      pos += prefix + length
    }
    // 1024-byte pieces (1033 bytes without eof), then the last 904 bytes with eof.
    expect(sizes).toEqual([1033, 1033, 1033, 1033, 915])
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1034)
    peer.conn.destroy()
  })

  it('ends a message whose last piece would not fit with eof with an empty final packet', async () => {
    const stream = new ScriptedStream()
    const peer = makePeer(stream, [{ id: 0x80, priority: 1 }])
    peer.conn.start()
    await peer.conn.send(0x80, bytes(2048))
    await waitFor(() => stream.output().length >= 2 * 1035)
    await new Promise((resolve) => setTimeout(resolve, 5))
    // Two full pieces without eof, then the packet {channel 0x80, eof} with no data.
    const out = stream.output()
    expect(out.length).toBe(2 * 1035 + 8)
    expect(out.subarray(2 * 1035).toString('hex')).toBe('071a050880011001')
    peer.conn.destroy()
  })

  it('does not keep a reassembly buffer grown by one large message', () => {
    const [desc] = resolveChannels([{ id: 1, priority: 1, recvBufferCapacity: 1024 }])
    const channel = new Channel(desc!, 1024, 1000, systemClock)
    const part = bytes(1024)
    for (let i = 0; i < 99; i++) expect(channel.receivePacket(part, 0, 1024, false)).toBeUndefined()
    const message = channel.receivePacket(part, 0, 1024, true)
    expect(message?.length).toBe(100 * 1024)
    expect(message?.subarray(5 * 1024, 6 * 1024)).toEqual(part)
    // The next message starts over in a small buffer (checked through the result only).
    expect(channel.receivePacket(part, 0, 10, true)).toEqual(part.subarray(0, 10))
  })
})
