import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { activeResources, waitForNoLeaks, type ResourceCounts } from '@comet-p2p/testing'
import type { NodeKey } from '@comet-p2p/types'
import { Switch, type PeerRemovedEvent } from '../src/index.js'
import { FAST, NETWORK, RecordingReactor, listeningSwitch, waitFor } from './helpers.js'

let before: ResourceCounts
const switches: Switch[] = []

beforeEach(() => {
  before = activeResources()
})

afterEach(async () => {
  await Promise.all(switches.splice(0).map((sw) => sw.stop()))
  expect(await waitForNoLeaks(before)).toEqual({})
})

/** A switch with `key`, listening on `port` exactly (to "restart" a node at the same address). */
async function restart(key: NodeKey, port: number): Promise<{ sw: Switch; reactor: RecordingReactor }> {
  const sw = new Switch({
    nodeKey: key,
    nodeInfo: {
      protocolVersion: { p2p: 8, block: 11, app: 0 },
      listenAddr: '',
      network: NETWORK,
      version: '',
      moniker: 'restarted',
      other: { txIndex: '', rpcAddress: '' }
    },
    config: FAST,
    random: () => 0
  })
  const reactor = sw.addReactor('recording', new RecordingReactor([0x77, 0x78]))
  await sw.transport.listen({ host: '127.0.0.1', port })
  switches.push(sw)
  return { sw, reactor }
}

describe('persistent peers over TCP', () => {
  it('reconnects to an outbound persistent peer after it restarts', async () => {
    const b = await listeningSwitch()
    switches.push(b.sw)
    const bAddr = b.sw.netAddress()!
    const a = await listeningSwitch({ config: { persistentPeers: [bAddr.toString()] } })
    switches.push(a.sw)
    await b.sw.start()
    await a.sw.start()
    await waitFor(() => a.sw.peers().size === 1, 10_000, 'first connection')
    expect(a.sw.peers().get(b.key.id)!.isPersistent).toBe(true)

    const removed = new Promise<PeerRemovedEvent>((resolve) => a.sw.once('peer:removed', resolve))
    await b.sw.stop()
    expect((await removed).reason).toBeInstanceOf(Error)

    const b2 = await restart(b.key, bAddr.port)
    await b2.sw.start()
    await waitFor(() => a.sw.peers().size === 1 && b2.sw.peers().size === 1, 10_000, 'reconnection')
    const peer = a.sw.peers().get(b.key.id)!
    expect(peer.isOutbound).toBe(true)
    expect(await peer.send(0x77, Uint8Array.of(5))).toBe(true)
    await waitFor(() => b2.reactor.received.length === 1)
  })

  it('redials an inbound persistent peer at its self-reported address', async () => {
    const a = await listeningSwitch()
    switches.push(a.sw)
    const aAddr = a.sw.netAddress()!
    // B's own start-up dial to A is delayed (first random draw 0.99 of 60 s) so that A's dial arrives first.
    let draws = 0
    const b = await listeningSwitch({
      config: { persistentPeers: [aAddr.toString()], dialRandomizerIntervalMs: 60_000 },
      random: () => (draws++ === 0 ? 0.99 : 0)
    })
    switches.push(b.sw)
    await a.sw.start()
    await b.sw.start()
    await a.sw.dialPeerWithAddress(b.sw.netAddress()!)
    await waitFor(() => b.sw.peers().size === 1)
    const inbound = b.sw.peers().get(a.key.id)!
    expect(inbound.isOutbound).toBe(false)
    expect(inbound.isPersistent).toBe(true)

    await a.sw.stop()
    const a2 = await restart(a.key, aAddr.port)
    await a2.sw.start()
    await waitFor(() => b.sw.peers().size === 1 && a2.sw.peers().size === 1, 10_000, 'redial')
    expect(b.sw.peers().get(a.key.id)!.isOutbound).toBe(true)
  })
})
