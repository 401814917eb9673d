import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { activeResources, waitForNoLeaks, type ResourceCounts } from '@comet-p2p/testing'
import type { Switch } from '../src/index.js'
import { FakeMetrics } from './fake-metrics.js'
import { listeningSwitch, rawConnect, waitFor } from './helpers.js'

let before: ResourceCounts
const switches: Switch[] = []

beforeEach(() => {
  before = activeResources()
})

afterEach(async () => {
  await Promise.all(switches.splice(0).map((sw) => sw.stop()))
  expect(await waitForNoLeaks(before)).toEqual({})
})

describe('switch metrics', () => {
  it('counts peers and bytes per peer and channel, and drops a peer’s series when it leaves', async () => {
    const metrics = new FakeMetrics()
    const a = await listeningSwitch({ metrics, config: { metricsIntervalMs: 5 } })
    const b = await listeningSwitch()
    switches.push(a.sw, b.sw)
    await a.sw.start()
    await b.sw.start()
    expect(metrics.registered.sort()).toEqual(
      [
        'peer_pending_send_bytes',
        'peer_receive_bytes_total',
        'peer_send_bytes_total',
        'peers',
        'rejected_connections_total',
        'rejected_peers_total'
      ].sort()
    )
    const peer = await a.sw.dialPeerWithAddress(b.sw.netAddress()!)
    expect(metrics.get('peers')).toBe(1)
    await peer.send(0x78, new Uint8Array(2000))
    const toA = await (async () => {
      await waitFor(() => b.sw.peers().size === 1)
      return b.sw.peers().list()[0]!
    })()
    await toA.send(0x77, new Uint8Array(10))
    const labels = { peer_id: b.key.id, chID: '0x78' }
    await waitFor(() => (metrics.get('peer_send_bytes_total', labels) ?? 0) > 2000)
    await waitFor(() => (metrics.get('peer_receive_bytes_total', { peer_id: b.key.id, chID: '0x77' }) ?? 0) > 10)
    await waitFor(() => metrics.get('peer_pending_send_bytes', { peer_id: b.key.id }) !== undefined)

    await a.sw.stopPeerGracefully(peer)
    expect(metrics.get('peers')).toBe(0)
    expect(metrics.labelsOf('peer_send_bytes_total')).toEqual([])
    expect(metrics.labelsOf('peer_receive_bytes_total')).toEqual([])
    expect(metrics.labelsOf('peer_pending_send_bytes')).toEqual([])
  })

  it('counts transport and switch rejections by reason', async () => {
    const metrics = new FakeMetrics()
    const hub = await listeningSwitch({ metrics, config: { maxNumInboundPeers: 0 } })
    const other = await listeningSwitch()
    switches.push(hub.sw, other.sw)
    await hub.sw.start()
    await other.sw.start()
    await other.sw.dialPeerWithAddress(hub.sw.netAddress()!).catch(() => undefined)
    await waitFor(() => metrics.get('rejected_peers_total', { reason: 'inbound_limit' }) === 1)
    const socket = await rawConnect(hub.sw.netAddress()!.port)
    socket.write(Buffer.alloc(100, 1))
    await waitFor(() => metrics.get('rejected_connections_total', { reason: 'handshake_failed' }) === 1)
    await waitFor(() => socket.closed)
  })
})
