/**
 * Peers that do not read: one never reads (while it keeps our keepalive
 * happy with unsolicited pongs), one reads slowly. The first must be
 * dropped with a typed error once our writes have been stalled for the
 * stall timeout, with our queues and memory bounded meanwhile; the second
 * must stay connected and receive every byte intact.
 */
import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { WriteStalledError } from '@comet-p2p/mconnection'
import { activeResources, waitForNoLeaks } from '@comet-p2p/testing'
import { APP, startNode, type TestNode } from './support/nodes.js'
import { RawPeer } from './support/raw-peer.js'
import { MiB, sampleMemory, waitFor } from './support/resources.js'

const nodes: TestNode[] = []
const raws: RawPeer[] = []

afterEach(async () => {
  for (const raw of raws.splice(0)) raw.destroy()
  await Promise.all(nodes.splice(0).map((n) => n.stop()))
})

describe('a peer that never reads', () => {
  it('is dropped with WriteStalledError; sends return false meanwhile; queues and memory stay bounded', async () => {
    const SEND_TIMEOUT_MS = 300
    const STALL_MS = 1500
    const target = await startNode({
      config: {
        mconnection: { sendTimeoutMs: SEND_TIMEOUT_MS, writeStallTimeoutMs: STALL_MS, pingIntervalMs: 1000, pongTimeoutMs: 500, stopTimeoutMs: 300 }
      },
      channel: { id: APP, priority: 1, sendQueueCapacity: 4, recvMessageCapacity: 1 << 20 }
    })
    nodes.push(target)
    const raw = await RawPeer.connect(target.addr.port)
    raws.push(raw)
    await waitFor(() => target.sw.peers().has(raw.id), 10_000, 'the peer')
    const resources = activeResources()
    raw.stopReading()
    // Proof of life without reading: an unsolicited pong every 100 ms satisfies any ping.
    const pongs = setInterval(() => raw.sendPacket({ type: 'pong' }), 100)
    const memory = sampleMemory()
    const peer = target.sw.peers().get(raw.id)!
    const message = new Uint8Array(64 * 1024).fill(7)
    let refused = 0
    let queued = 0
    let maxQueue = 0
    const deadline = Date.now() + 20_000 // liveness guard: the loop ends when the peer is dropped
    try {
      while (peer.isRunning && Date.now() < deadline) {
        if (await peer.send(APP, message)) queued++
        else refused++
        maxQueue = Math.max(maxQueue, ...peer.status().channels.map((c) => c.sendQueueSize))
      }
      await waitFor(() => target.app.removed.some((r) => r.peer.id === raw.id), 10_000, 'the removal')
    } finally {
      clearInterval(pongs)
    }
    const peaks = memory.stop()
    const reason = target.app.removed.find((r) => r.peer.id === raw.id)!.reason
    expect(reason).toBeInstanceOf(WriteStalledError)
    expect(refused).toBeGreaterThan(0)
    // The queue holds its capacity (4) besides the message being sent.
    expect(maxQueue).toBeLessThanOrEqual(5)
    // Accepted before the stall: what the socket buffers and the kernel took (a few MiB at most).
    expect(queued * message.length).toBeLessThan(64 * MiB)
    expect(peaks.peakArrayBuffers).toBeLessThan(200 * MiB)
    raw.destroy()
    expect(await waitForNoLeaks(resources)).toEqual({})
    console.log(
      `[figure] never-reading peer: dropped with ${(reason as WriteStalledError).code}; ${queued} x 64 KiB queued before the stall, ${refused} sends refused; peak RSS ${(peaks.peakRss / MiB).toFixed(0)} MiB, peak array buffers ${(peaks.peakArrayBuffers / MiB).toFixed(1)} MiB`
    )
  })
})

describe('a peer that reads slowly', () => {
  it('stays connected and receives every message intact, with bounded memory', async () => {
    const target = await startNode({
      config: { mconnection: { sendTimeoutMs: 300, writeStallTimeoutMs: 3000 } },
      channel: { id: APP, priority: 1, sendQueueCapacity: 4, recvMessageCapacity: 1 << 20 }
    })
    // The slow node reads at 400 KB/s and takes 5 ms for each message on top.
    const slow = await startNode({
      moniker: 'slow',
      config: { recvRate: 400_000 },
      channel: { id: APP, priority: 1, sendQueueCapacity: 4, recvBufferCapacity: 16 * 1024, recvMessageCapacity: 1 << 20 }
    })
    nodes.push(target, slow)
    slow.app.onReceive = () => sleep(5)
    const peer = await target.sw.dialPeerWithAddress(slow.addr)
    // 2 MiB: more than the socket buffers absorb, so the sender must wait for the reader.
    const COUNT = 256
    const SIZE = 8 * 1024
    const sent = createHash('sha256')
    const memory = sampleMemory()
    let retries = 0
    let waited = 0
    for (let i = 0; i < COUNT; i++) {
      if (!peer.canSend(APP)) waited++
      const message = new Uint8Array(SIZE)
      new DataView(message.buffer).setUint32(0, i)
      message.fill(i & 0xff, 4)
      sent.update(message)
      // send() resolves false after the send timeout while the queue stays full: try again.
      while (!(await peer.send(APP, message))) {
        retries++
        expect(peer.isRunning).toBe(true)
      }
    }
    await waitFor(() => slow.app.received.length >= COUNT, 30_000, 'every message')
    const peaks = memory.stop()
    const got = createHash('sha256')
    slow.app.received.forEach((r, i) => {
      expect(new DataView(r.message.buffer, r.message.byteOffset).getUint32(0)).toBe(i)
      got.update(r.message)
    })
    expect(got.digest('hex')).toBe(sent.digest('hex'))
    expect(peer.isRunning).toBe(true)
    expect(target.app.removed).toEqual([])
    expect(slow.app.removed).toEqual([])
    expect(peaks.peakArrayBuffers).toBeLessThan(200 * MiB)
    // The reader's pace reached the sender: its queue was full at times.
    expect(waited).toBeGreaterThan(0)
    console.log(
      `[figure] slow reader: ${COUNT} x ${SIZE} B intact, queue full before ${waited} sends, ${retries} send retries, peak RSS ${(peaks.peakRss / MiB).toFixed(0)} MiB, peak array buffers ${(peaks.peakArrayBuffers / MiB).toFixed(1)} MiB`
    )
  })
})
