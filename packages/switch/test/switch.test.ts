import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { activeResources, waitForNoLeaks, type ResourceCounts } from '@comet-p2p/testing'
import { InvalidArgumentError, NetAddress, NodeKey } from '@comet-p2p/types'
import {
  AlreadyDialingOrConnectedError,
  ChannelConflictError,
  DuplicateReactorError,
  ReactorError,
  RejectedError,
  SwitchStateError,
  type Peer,
  type PeerRejectedEvent,
  type PeerRemovedEvent,
  Switch,
  type SwitchConfigInput,
  type SwitchNodeInfo
} from '../src/index.js'
import { FakeBook } from './fake-book.js'
import { RecordingReactor, listeningSwitch, rawConnect, waitFor } from './helpers.js'

let before: ResourceCounts
const switches: Switch[] = []

async function node(...args: Parameters<typeof listeningSwitch>): ReturnType<typeof listeningSwitch> {
  const n = await listeningSwitch(...args)
  switches.push(n.sw)
  return n
}

async function connect(a: Switch, b: Switch): Promise<Peer> {
  const peer = await a.dialPeerWithAddress(b.netAddress()!)
  await waitFor(() => b.peers().has(a.nodeInfo().id), 10_000, 'inbound side')
  return peer
}

beforeEach(() => {
  before = activeResources()
})

afterEach(async () => {
  await Promise.all(switches.splice(0).map((sw) => sw.stop()))
  expect(await waitForNoLeaks(before)).toEqual({})
})

describe('Switch', () => {
  it('connects two switches and exchanges messages on several channels, both ways', async () => {
    const a = await node()
    const b = await node()
    await a.sw.start()
    await b.sw.start()
    const toB = await connect(a.sw, b.sw)
    const toA = b.sw.peers().get(a.key.id)!
    expect(toB.isOutbound).toBe(true)
    expect(toA.isOutbound).toBe(false)
    expect(a.reactor.added.map((p) => p.id)).toEqual([b.key.id])
    expect(b.reactor.added.map((p) => p.id)).toEqual([a.key.id])

    const sent: { ch: number; data: Uint8Array }[] = []
    for (let i = 0; i < 20; i++) {
      const ch = i % 2 === 0 ? 0x77 : 0x78
      const data = new Uint8Array(1 + i * 300).fill(i)
      sent.push({ ch, data })
      expect(await toB.send(ch, data)).toBe(true)
      expect(await toA.send(ch, data)).toBe(true)
    }
    await waitFor(() => a.reactor.received.length === 20 && b.reactor.received.length === 20)
    for (const r of [a.reactor, b.reactor]) {
      for (const ch of [0x77, 0x78]) {
        const got = r.received.filter((m) => m.channelId === ch).map((m) => m.message)
        expect(got).toEqual(sent.filter((m) => m.ch === ch).map((m) => m.data))
      }
    }
    expect(b.reactor.received.every((m) => m.from === a.key.id)).toBe(true)
  })

  it('connects five switches through dialPeersAsync', async () => {
    const nodes = await Promise.all([0, 1, 2, 3, 4].map(() => node()))
    for (const n of nodes) await n.sw.start()
    for (let i = 0; i < nodes.length; i++) {
      const later = nodes.slice(i + 1).map((n) => n.sw.netAddress()!.toString())
      await nodes[i]!.sw.dialPeersAsync(later)
    }
    await waitFor(() => nodes.every((n) => n.sw.peers().size === 4), 15_000, 'full mesh')
    // Everyone broadcasts one message on each channel; everyone gets four of each.
    for (const n of nodes) {
      const results = await n.sw.broadcast(0x77, new TextEncoder().encode(n.key.id))
      expect(results.map((r) => r.ok)).toEqual([true, true, true, true])
      await n.sw.broadcast(0x78, Uint8Array.of(1))
    }
    await waitFor(() => nodes.every((n) => n.reactor.received.length === 8))
    for (const n of nodes) {
      const senders = n.reactor.received.filter((m) => m.channelId === 0x77).map((m) => new TextDecoder().decode(m.message))
      expect(new Set(senders)).toEqual(new Set(nodes.filter((o) => o !== n).map((o) => o.key.id)))
    }
    const counts = nodes[0]!.sw.numPeers()
    expect(counts.outbound + counts.inbound).toBe(4)
    expect(counts.dialing).toBe(0)
  })

  it('enforces maxNumInboundPeers after the handshake, and admits unconditional peers beyond it', async () => {
    const vip = NodeKey.generate()
    const hub = await node({ config: { maxNumInboundPeers: 1, unconditionalPeerIds: [vip.id] } })
    const first = await node()
    const second = await node()
    const third = await node({ nodeKey: vip })
    for (const n of [hub, first, second, third]) await n.sw.start()
    await connect(first.sw, hub.sw)

    const rejected = new Promise<PeerRejectedEvent>((resolve) => hub.sw.once('peer:rejected', resolve))
    const removed = new Promise<Peer>((resolve) => second.sw.once('peer:removed', (e) => resolve(e.peer)))
    await second.sw.dialPeerWithAddress(hub.sw.netAddress()!).catch(() => undefined)
    const event = await rejected
    expect(event.direction).toBe('inbound')
    expect(event.error.reason).toBe('inbound_limit')
    // The dialer had completed its handshake; the hub then hung up on it.
    expect((await removed).id).toBe(hub.key.id)
    expect(hub.sw.peers().size).toBe(1)

    await connect(third.sw, hub.sw)
    expect(hub.sw.peers().size).toBe(2)
    expect(hub.sw.peers().get(vip.id)!.isUnconditional).toBe(true)
    expect(hub.sw.numPeers()).toEqual({ outbound: 0, inbound: 1, dialing: 0 })
  })

  it('refuses a second connection with the same ID, and a dial to ourselves', async () => {
    const a = await node()
    const b = await node()
    await a.sw.start()
    await b.sw.start()
    await connect(a.sw, b.sw)
    // Dialing again: the switch knows the peer.
    await expect(a.sw.dialPeerWithAddress(b.sw.netAddress()!)).rejects.toBeInstanceOf(AlreadyDialingOrConnectedError)
    // Another node with A's key gets through the transport and is refused by the switch.
    const twin = await node({ nodeKey: a.key })
    await twin.sw.start()
    const rejected = new Promise<PeerRejectedEvent>((resolve) => b.sw.once('peer:rejected', resolve))
    await twin.sw.dialPeerWithAddress(b.sw.netAddress()!).catch(() => undefined)
    const event = await rejected
    expect(event.error).toBeInstanceOf(RejectedError)
    expect(event.error.reason).toBe('duplicate')
    expect(event.error.id).toBe(a.key.id)
    await waitFor(() => twin.sw.peers().size === 0)
    expect(b.sw.peers().size).toBe(1)
    expect(b.sw.peers().get(a.key.id)!.isOutbound).toBe(false)

    const self = await a.sw.dialPeerWithAddress(a.sw.netAddress()!).then(
      () => undefined,
      (e: unknown) => e
    )
    expect((self as RejectedError).reason).toBe('self')
  })

  it('rejects a second peer from the same IP unless allowDuplicateIp', async () => {
    const hub = await node({ config: { allowDuplicateIp: false } })
    const a = await node()
    const b = await node()
    for (const n of [hub, a, b]) await n.sw.start()
    await connect(a.sw, hub.sw)
    const rejected = new Promise<PeerRejectedEvent>((resolve) => hub.sw.once('peer:rejected', resolve))
    await b.sw.dialPeerWithAddress(hub.sw.netAddress()!).catch(() => undefined)
    expect((await rejected).error.reason).toBe('duplicate_ip')
    expect(hub.sw.isDialingOrExistingAddress(NetAddress.fromParts(NodeKey.generate().id, '127.0.0.1', 1))).toBe(true)
  })

  it('runs peer filters: a refusal, a time-out, and an acceptance', async () => {
    const seen: string[] = []
    let mode: 'refuse' | 'hang' | 'accept' = 'refuse'
    const hub = await node({
      config: { filterTimeoutMs: 50 },
      peerFilters: [
        (peers, peer) => {
          seen.push(`${peer.id}:${peers.size}`)
          if (mode === 'refuse') throw new Error('not on the list')
          if (mode === 'hang') return new Promise<void>(() => undefined)
        }
      ]
    })
    const a = await node()
    await hub.sw.start()
    await a.sw.start()
    const reasons: string[] = []
    hub.sw.on('peer:rejected', (e) => reasons.push(e.error.reason))
    await a.sw.dialPeerWithAddress(hub.sw.netAddress()!).catch(() => undefined)
    await waitFor(() => reasons.length === 1 && a.sw.peers().size === 0)
    mode = 'hang'
    await a.sw.dialPeerWithAddress(hub.sw.netAddress()!).catch(() => undefined)
    await waitFor(() => reasons.length === 2 && a.sw.peers().size === 0)
    mode = 'accept'
    await connect(a.sw, hub.sw)
    expect(reasons).toEqual(['filtered', 'filter_timeout'])
    expect(seen).toEqual([`${a.key.id}:0`, `${a.key.id}:0`, `${a.key.id}:0`])
  })

  it('stops only the peer whose message made a reactor throw, or reject', async () => {
    const hub = await node()
    const good = await node()
    const bad = await node()
    for (const n of [hub, good, bad]) await n.sw.start()
    await connect(good.sw, hub.sw)
    await connect(bad.sw, hub.sw)
    hub.reactor.onReceive = (env) => {
      if (env.peer.id !== bad.key.id) return
      if (env.channelId === 0x77) throw new Error('boom')
    }
    const removed = new Promise<PeerRemovedEvent>((resolve) => hub.sw.once('peer:removed', resolve))
    await bad.sw.peers().get(hub.key.id)!.send(0x77, Uint8Array.of(9))
    const event = await removed
    expect(event.peer.id).toBe(bad.key.id)
    expect(event.reason).toBeInstanceOf(ReactorError)
    expect((event.reason as ReactorError).cause).toEqual(new Error('boom'))
    expect(hub.reactor.removed.map((r) => r.peer.id)).toEqual([bad.key.id])
    expect(hub.sw.peers().has(good.key.id)).toBe(true)

    // An async rejection does the same.
    await waitFor(() => bad.sw.peers().size === 0)
    await connect(bad.sw, hub.sw)
    hub.reactor.onReceive = async (env) => {
      if (env.peer.id === bad.key.id) throw new Error('async boom')
    }
    const removedAgain = new Promise<PeerRemovedEvent>((resolve) => hub.sw.once('peer:removed', resolve))
    await bad.sw.peers().get(hub.key.id)!.send(0x78, Uint8Array.of(9))
    expect(((await removedAgain).reason as ReactorError).message).toMatch(/async boom/)
    await good.sw.peers().get(hub.key.id)!.send(0x78, Uint8Array.of(1))
    await waitFor(() => hub.reactor.received.some((m) => m.from === good.key.id))
    expect(hub.sw.peers().has(good.key.id)).toBe(true)
  })

  it('applies receive backpressure by awaiting the reactor, without breaking the connection', async () => {
    const a = await node()
    const b = await node()
    await a.sw.start()
    await b.sw.start()
    const peer = await connect(a.sw, b.sw)
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let inFlight = 0
    let maxInFlight = 0
    b.reactor.onReceive = async () => {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      await gate
      inFlight--
    }
    for (let i = 0; i < 5; i++) await peer.send(0x77, Uint8Array.of(i))
    await waitFor(() => b.reactor.received.length === 1)
    release()
    await waitFor(() => b.reactor.received.length === 5)
    expect(maxInFlight).toBe(1)
    expect(b.reactor.received.map((m) => m.message[0])).toEqual([0, 1, 2, 3, 4])
  })

  it('stops gracefully: queued messages are delivered, reactors told, events fired', async () => {
    const a = await node()
    const b = await node()
    await a.sw.start()
    await b.sw.start()
    const peer = await connect(a.sw, b.sw)
    const removedOnB = new Promise<PeerRemovedEvent>((resolve) => b.sw.once('peer:removed', resolve))
    const removedOnA = new Promise<PeerRemovedEvent>((resolve) => a.sw.once('peer:removed', resolve))
    expect(peer.trySend(0x77, Uint8Array.of(42))).toBe(true)
    await a.sw.stopPeerGracefully(peer)
    expect((await removedOnA).reason).toBeUndefined()
    await removedOnB
    expect(b.reactor.received.map((m) => m.message[0])).toEqual([42])
    expect(a.reactor.removed).toHaveLength(1)
    expect(peer.isRunning).toBe(false)
    expect(await peer.send(0x77, Uint8Array.of(1))).toBe(false)
  })

  it('stop() stops peers and reactors, releases everything, and is idempotent', async () => {
    const a = await node()
    const b = await node()
    await a.sw.start()
    await b.sw.start()
    await connect(a.sw, b.sw)
    const removed: PeerRemovedEvent[] = []
    b.sw.on('peer:removed', (e) => removed.push(e))
    await Promise.all([a.sw.stop(), a.sw.stop()])
    expect(a.reactor.stopped).toBe(1)
    expect(a.reactor.removed).toHaveLength(1)
    expect(a.sw.isRunning).toBe(false)
    await waitFor(() => removed.length === 1)
    await expect(a.sw.dialPeerWithAddress(b.sw.netAddress()!)).rejects.toBeInstanceOf(SwitchStateError)
    await expect(a.sw.start()).rejects.toBeInstanceOf(SwitchStateError)
  })

  it('fires peer:added and peer:removed', async () => {
    const a = await node()
    const b = await node()
    const added: string[] = []
    a.sw.on('peer:added', (p) => added.push(p.id))
    await a.sw.start()
    await b.sw.start()
    await connect(a.sw, b.sw)
    expect(added).toEqual([b.key.id])
    const removed = new Promise<PeerRemovedEvent>((resolve) => a.sw.once('peer:removed', resolve))
    await b.sw.stop()
    const event = await removed
    expect(event.peer.id).toBe(b.key.id)
    expect(event.reason).toBeInstanceOf(Error)
  })

  it('marks a peer good in the address book, unless it is private', async () => {
    const book = new FakeBook()
    const hidden = NodeKey.generate()
    const a = await node({ addrBook: book, config: { privatePeerIds: [hidden.id] } })
    const b = await node()
    const c = await node({ nodeKey: hidden })
    for (const n of [a, b, c]) await n.sw.start()
    const pb = await connect(a.sw, b.sw)
    const pc = await connect(a.sw, c.sw)
    a.sw.markPeerAsGood(pb)
    a.sw.markPeerAsGood(pc)
    expect(book.calls).toEqual([`private ${hidden.id}`, `good ${b.key.id}`])
  })

  it('keeps per-peer data and reports status', async () => {
    const a = await node()
    const b = await node()
    await a.sw.start()
    await b.sw.start()
    const peer = await connect(a.sw, b.sw)
    peer.set('height', 7)
    expect(peer.get('height')).toBe(7)
    expect(peer.get('missing')).toBeUndefined()
    expect(peer.hasChannel(0x77)).toBe(true)
    expect(peer.hasChannel(0x10)).toBe(false)
    expect(await peer.send(0x10, Uint8Array.of(1))).toBe(false)
    expect(peer.canSend(0x77)).toBe(true)
    expect(peer.status().channels.map((c) => c.id)).toEqual([0x77, 0x78])
    expect(peer.remoteIp).toBe('127.0.0.1')
    expect(peer.socketAddr.equals(b.sw.netAddress()!)).toBe(true)
  })
})

describe('Switch reactors and configuration', () => {
  it('refuses shared channel IDs and duplicate names with typed errors', async () => {
    const { sw } = await node()
    expect(() => sw.addReactor('other', new RecordingReactor([0x77]))).toThrow(ChannelConflictError)
    expect(() => sw.addReactor('recording', new RecordingReactor([0x10]))).toThrow(DuplicateReactorError)
    const extra = sw.addReactor('extra', new RecordingReactor([0x10]))
    expect([...sw.nodeInfo().channels]).toEqual([0x77, 0x78, 0x10])
    expect(sw.reactor('extra')).toBe(extra)
    expect(extra.switch).toBe(sw)
    expect(sw.removeReactor('extra')).toBe(extra)
    expect(() => extra.switch).toThrow(/not attached/)
    expect([...sw.nodeInfo().channels]).toEqual([0x77, 0x78])
  })

  it('refuses reactor changes after start', async () => {
    const { sw } = await node()
    await sw.start()
    expect(() => sw.addReactor('late', new RecordingReactor([0x10]))).toThrow(SwitchStateError)
  })

  it('fills our listen address from the transport', async () => {
    const { sw } = await node()
    await sw.start()
    expect(sw.nodeInfo().listenAddr).toBe(sw.netAddress()!.dialString())
  })

  it('validates its configuration', () => {
    const key = NodeKey.generate()
    const info = {
      protocolVersion: { p2p: 8, block: 11, app: 0 },
      listenAddr: '',
      network: 'n',
      version: '',
      moniker: 'm',
      other: { txIndex: '', rpcAddress: '' }
    }
    expect(() => make(key, info, { unconditionalPeerIds: ['nothex'] })).toThrow(InvalidArgumentError)
    expect(() => make(key, info, { maxNumInboundPeers: -1 })).toThrow(InvalidArgumentError)
    expect(() => make(key, { ...info, id: NodeKey.generate().id }, {})).toThrow(InvalidArgumentError)
    expect(() => make(key, info, { maxHandshakeMessageSize: 101 })).toThrow(/maxHandshakeMessageSize/)
    expect(() => make(key, info, { lookupTimeoutMs: -1 })).toThrow(InvalidArgumentError)
  })

  it('gives the transport it creates its inbound handshake limits', async () => {
    const { sw } = await node({ config: { maxHandshakesPerIp: 1 } })
    const reasons: string[] = []
    sw.transport.on('rejected', (err) => reasons.push(err.reason))
    await sw.start()
    const sockets = await Promise.all([1, 2].map(() => rawConnect(sw.netAddress()!.port)))
    await waitFor(() => reasons.length === 1)
    expect(reasons).toEqual(['too_many_from_ip'])
    for (const socket of sockets) socket.destroy()
  })

  it('refuses a handshake message above its maxHandshakeMessageSize', async () => {
    const { sw } = await node({ config: { maxHandshakeMessageSize: 200 } })
    const rejected = new Promise<string>((resolve) => sw.transport.on('rejected', (err) => resolve(err.reason)))
    await sw.start()
    const socket = await rawConnect(sw.netAddress()!.port)
    // A length prefix announcing 300 bytes: over the limit before any byte of it arrives.
    socket.write(Uint8Array.from([0xac, 0x02]))
    expect(await rejected).toBe('handshake_failed')
    socket.destroy()
  })
})

function make(key: NodeKey, info: SwitchNodeInfo, config: SwitchConfigInput): Switch {
  return new Switch({ nodeKey: key, nodeInfo: info, config })
}
