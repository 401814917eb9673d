/**
 * A connection flood: a burst of 2,000 connection attempts from 1,000
 * loopback addresses (127.0.x.y) while five legitimate peers keep
 * exchanging messages with the target. The transport's limits must hold,
 * legitimate traffic must continue during and after the flood, memory must
 * stay below the stated bound, and everything must be released afterwards.
 */
import { readFileSync } from 'node:fs'
import type { Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { NodeKey, encodeBytesValue, encodeDelimited } from '@comet-p2p/types'
import { activeResources, waitForNoLeaks } from '@comet-p2p/testing'
import { LoopbackOnlyTransport } from './support/loopback-transport.js'
import { RecordingMetrics } from './support/metrics.js'
import { APP, startNode, type TestNode } from './support/nodes.js'
import { RawPeer, rawConnect, whenClosed } from './support/raw-peer.js'
import { MiB, heapAfterGc, openFds, sampleMemory, waitFor, waitForFds } from './support/resources.js'

const LIMITS = {
  handshakeTimeoutMs: 2000,
  maxIncomingConnections: 60,
  maxConcurrentHandshakes: 40,
  maxHandshakesPerIp: 2,
  maxConnectionsPerIp: 3
}
const MAX_INBOUND_PEERS = 10
/** The bound this test states: RSS may grow by at most this much during the flood (both ends of 2,000 connections live in this process). */
const RSS_GROWTH_BOUND = 128 * MiB
/** And the heap, after collection, must return within this of its baseline. */
const HEAP_RETURN_BOUND = 4 * MiB

/** Soft limit on open descriptors (`ulimit -n`). */
function fdLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'))
  return Number(line?.split(/\s+/)[3] ?? 1024)
}

const nodes: TestNode[] = []
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()))
})

describe('a burst of 2,000 connection attempts', () => {
  it('holds the limits, keeps legitimate traffic flowing, stays within its memory bound and releases everything', async () => {
    // Each attempt costs two descriptors here (client and server end): size the flood to the limit.
    const attempts = Math.min(2000, Math.floor((fdLimit() - 300) / 2.5))
    expect(attempts).toBeGreaterThanOrEqual(500)

    const metrics = new RecordingMetrics()
    const key = NodeKey.generate()
    const transport = new LoopbackOnlyTransport({ nodeKey: key, metrics, ...LIMITS })
    const target = await startNode({ nodeKey: key, metrics, transport, config: { maxNumInboundPeers: MAX_INBOUND_PEERS } })
    nodes.push(target)

    // Five legitimate peers: three dial in, two are dialed.
    const legit: TestNode[] = []
    for (let i = 0; i < 5; i++) legit.push(await startNode({ moniker: `legit-${i}` }))
    nodes.push(...legit)
    for (const n of legit.slice(0, 3)) await n.sw.dialPeerWithAddress(target.addr)
    for (const n of legit.slice(3)) await target.sw.dialPeerWithAddress(n.addr)
    await waitFor(() => target.sw.peers().size === 5, 10_000, 'five legitimate peers')

    // Traffic both ways every 10 ms until told to stop.
    let traffic = true
    let seq = 0
    const pump = (async () => {
      while (traffic) {
        const msg = new Uint8Array(256).fill(seq++ & 0xff)
        for (const n of legit) {
          n.sw.peers().get(target.key.id)?.trySend(APP, msg)
          target.sw.peers().get(n.key.id)?.trySend(APP, msg)
        }
        await sleep(10)
      }
    })()
    for (const n of [target, ...legit]) n.app.record = false
    const received = (): number[] => legit.map((n) => target.app.countFrom(n.key.id) + n.app.countFrom(target.key.id))
    await waitFor(() => received().every((c) => c > 0), 10_000, 'traffic before the flood')

    const heapBefore = await heapAfterGc()
    const fdsBefore = openFds()
    const resources = activeResources()
    const rssBefore = process.memoryUsage().rss
    const memory = sampleMemory(25)
    let maxPending = 0
    let maxInbound = 0
    const watch = setInterval(() => {
      maxPending = Math.max(maxPending, transport.pendingHandshakes)
      maxInbound = Math.max(maxInbound, target.sw.numPeers().inbound)
    }, 5)
    const atFloodStart = received()

    // The flood: attempts spread over about 1,000 addresses, two per address, in waves of 250.
    const low = encodeDelimited(encodeBytesValue(new Uint8Array(32)))
    const sockets: Socket[] = []
    const valid: RawPeer[] = []
    const failedConnects: unknown[] = []
    for (let wave = 0; wave < attempts; wave += 250) {
      await Promise.all(
        Array.from({ length: Math.min(250, attempts - wave) }, async (_, j) => {
          const i = wave + j
          // The first 30 come from one address and stay silent: the per-IP limits must cut them short.
          const addr = i < 30 ? '127.0.200.1' : `127.0.${2 + (Math.floor(i / 2) >> 8)}.${(Math.floor(i / 2) & 0xff) || 1}`
          try {
            if (i % 40 === 39 && i >= 30) {
              // A few complete handshakes: they can become peers only up to the inbound limit.
              valid.push(await RawPeer.connect(target.addr.port, { localAddress: addr }))
              return
            }
            const socket = await rawConnect(target.addr.port, addr)
            sockets.push(socket)
            socket.resume()
            if (i < 30) return // silent: holds its slot until the handshake timeout
            if (i % 4 === 1) socket.write(Buffer.alloc(600, 0xee))
            else if (i % 4 === 2) socket.destroy()
            else if (i % 4 === 3) socket.write(low)
            // i % 4 === 0: say nothing and hold a handshake slot until the timeout.
          } catch (err) {
            failedConnects.push(err)
          }
        })
      )
    }
    const duringFlood = received()
    // Every attempt ends: refused at once, failed, or timed out.
    await Promise.all(sockets.map((s) => whenClosed(s)))
    await sleep(LIMITS.handshakeTimeoutMs)
    const afterFlood = received()
    await waitFor(() => received().every((c, i) => c > afterFlood[i]!), 10_000, 'traffic after the flood')
    clearInterval(watch)
    const peaks = memory.stop()

    // Limits held.
    expect(maxPending).toBeLessThanOrEqual(LIMITS.maxConcurrentHandshakes)
    expect(maxInbound).toBeLessThanOrEqual(MAX_INBOUND_PEERS)
    const rejected = metrics.rejectedConnectionsByReason()
    const totalRejected = Object.values(rejected).reduce((a, b) => a + b, 0)
    // Of the 30 from one address at most 3 may be open at once (2 handshaking).
    expect(rejected.too_many_from_ip ?? 0).toBeGreaterThanOrEqual(20)
    expect((rejected.too_many_handshakes ?? 0) + (rejected.too_many_connections ?? 0)).toBeGreaterThan(0)
    // Every raw attempt was refused by the transport (the valid ones may also be refused by the switch).
    expect(totalRejected).toBeGreaterThanOrEqual(sockets.length)
    // Legitimate peers stayed, and traffic flowed during and after the flood.
    for (const n of legit) expect(target.sw.peers().has(n.key.id)).toBe(true)
    duringFlood.forEach((c, i) => expect(c).toBeGreaterThan(atFloodStart[i]!))
    expect(target.app.removed.filter((r) => legit.some((n) => n.key.id === r.peer.id))).toEqual([])

    // Memory bound, and everything released once the attackers are gone.
    const rssGrowth = peaks.peakRss - rssBefore
    expect(rssGrowth).toBeLessThan(RSS_GROWTH_BOUND)
    traffic = false
    await pump
    for (const v of valid) v.destroy()
    await Promise.all(valid.map((v) => v.whenClosed()))
    await waitFor(() => target.sw.peers().size === 5, 10_000, 'the valid attackers to leave')
    const fdsAfter = await waitForFds(fdsBefore + 5)
    expect(fdsAfter).toBeLessThanOrEqual(fdsBefore + 5)
    expect(await waitForNoLeaks(resources, 5000)).toEqual({})
    // What the test itself holds (closed sockets, recorded rejections) must not count.
    const raw = sockets.length
    sockets.length = 0
    valid.length = 0
    target.rejections.length = 0
    const heapAfter = await heapAfterGc()
    expect(heapAfter - heapBefore).toBeLessThan(HEAP_RETURN_BOUND)
    console.log(
      `[figure] flood: ${attempts} attempts (${raw} raw, ${attempts - raw - failedConnects.length} complete handshakes, ${failedConnects.length} connects failed), ` +
        `rejections ${JSON.stringify(rejected)}, max pending handshakes ${maxPending}, max inbound peers ${maxInbound}, ` +
        `peak RSS ${(peaks.peakRss / MiB).toFixed(0)} MiB (+${(rssGrowth / MiB).toFixed(0)} MiB), peak heap ${(peaks.peakHeap / MiB).toFixed(0)} MiB, ` +
        `heap after GC ${((heapAfter - heapBefore) / MiB).toFixed(1)} MiB over baseline, fds ${fdsBefore} -> ${fdsAfter} (limit ${fdLimit()}), ` +
        `messages during flood ${duringFlood.map((c, i) => c - atFloodStart[i]!).join('/')}`
    )
  }, 120_000)
})
