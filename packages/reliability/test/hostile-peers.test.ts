/**
 * Hostile connected peers: they passed the handshake and then misbehave on
 * the multiplexed connection or on the PEX channel. Each is dropped with a
 * typed reason, nothing it sent reaches a reactor or the address book, and
 * nothing it used is left behind.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { MalformedPacketError, MessageOverCapacityError, UnknownChannelError } from '@comet-p2p/mconnection'
import { PEX_CHANNEL, RequestTooSoonError, TooManyAddressesError, UnsolicitedAddrsError } from '@comet-p2p/pex'
import { BaseReactor, type ChannelDescriptor, type Envelope } from '@comet-p2p/switch'
import { encodeDelimited, encodePexMessage, NetAddress, NodeKey, type NetAddressProto } from '@comet-p2p/types'
import { activeResources, waitForNoLeaks } from '@comet-p2p/testing'
import { APP, startNode, type TestNode } from './support/nodes.js'
import { RawPeer } from './support/raw-peer.js'
import { MiB, heapAfterGc, waitFor } from './support/resources.js'

const nodes: TestNode[] = []
const raws: RawPeer[] = []

afterEach(async () => {
  for (const raw of raws.splice(0)) raw.destroy()
  await Promise.all(nodes.splice(0).map((n) => n.stop()))
})

async function node(options: Parameters<typeof startNode>[0] = {}): Promise<TestNode> {
  const n = await startNode(options)
  nodes.push(n)
  return n
}

/** A raw peer connected to `target` and admitted as a peer. */
async function connectedRaw(target: TestNode, channels = [APP]): Promise<RawPeer> {
  const raw = await RawPeer.connect(target.addr.port, { info: { channels: Uint8Array.from(channels) } })
  raws.push(raw)
  await waitFor(() => target.sw.peers().has(raw.id), 10_000, 'the raw peer to be added')
  return raw
}

/** Waits until `raw` was removed from `target`; returns the reason the app reactor was given. */
async function removalReason(target: TestNode, raw: RawPeer): Promise<unknown> {
  await waitFor(() => target.app.removed.some((r) => r.peer.id === raw.id), 10_000, 'the peer to be removed')
  await raw.whenClosed()
  expect(target.sw.peers().has(raw.id)).toBe(false)
  return target.app.removed.find((r) => r.peer.id === raw.id)!.reason
}


describe('hostile traffic on the multiplexed connection', () => {
  it('a message on an unknown channel drops the peer', async () => {
    const target = await node()
    const raw = await connectedRaw(target)
    const resources = activeResources()
    raw.sendPacket({ type: 'msg', channelId: 0x55, eof: true, data: Uint8Array.of(1, 2, 3) })
    const reason = await removalReason(target, raw)
    expect(reason).toBeInstanceOf(UnknownChannelError)
    expect(target.app.from(raw.id)).toEqual([])
    expect(await waitForNoLeaks(resources)).toEqual({})
  })

  it('a malformed packet drops the peer', async () => {
    const target = await node()
    const raw = await connectedRaw(target)
    const resources = activeResources()
    raw.write(encodeDelimited(Uint8Array.of(0x1a, 0x05, 0xff, 0xff)))
    const reason = await removalReason(target, raw)
    expect(reason).toBeInstanceOf(MalformedPacketError)
    expect(await waitForNoLeaks(resources)).toEqual({})
  })

  it('a message growing past the channel capacity (many packets, no eof) drops the peer, nothing delivered', async () => {
    const capacity = 8 * 1024
    const target = await node({ channel: { id: APP, priority: 1, sendQueueCapacity: 10, recvMessageCapacity: capacity } })
    const raw = await connectedRaw(target)
    const resources = activeResources()
    const piece = new Uint8Array(1024).fill(0xab)
    // 1000 pieces (1000 KiB) of one message: far past 8 KiB.
    for (let i = 0; i < 1000 && !raw.closed; i++) raw.sendPacket({ type: 'msg', channelId: APP, eof: false, data: piece })
    const reason = await removalReason(target, raw)
    expect(reason).toBeInstanceOf(MessageOverCapacityError)
    expect((reason as MessageOverCapacityError).capacity).toBe(capacity)
    expect(target.app.from(raw.id)).toEqual([])
    expect(await waitForNoLeaks(resources)).toEqual({})
  })
})

describe('hostile PEX traffic', () => {
  it('a PEX request flood drops the peer after its two free requests', async () => {
    const target = await node({ pex: { ensurePeersPeriodMs: 60_000 } })
    const raw = await connectedRaw(target, [PEX_CHANNEL, APP])
    for (let i = 0; i < 200 && !raw.closed; i++) raw.sendMessage(PEX_CHANNEL, encodePexMessage({ type: 'pex_request' }))
    const reason = await removalReason(target, raw)
    expect(reason).toBeInstanceOf(RequestTooSoonError)
    // At most the two free requests were answered.
    expect(target.pex!.stats().requestsReceived).toBeLessThanOrEqual(3)
    expect(target.pex!.stats().addrsMessagesSent).toBeLessThanOrEqual(2)
  })

  it('an unsolicited address list drops the peer and adds nothing to the book', async () => {
    const target = await node({ pex: { ensurePeersPeriodMs: 60_000 } })
    const raw = await connectedRaw(target, [PEX_CHANNEL, APP])
    const addrs = Array.from({ length: 50 }, (_, i) => ({ id: NodeKey.generate().id, ip: `1.2.${i}.4`, port: 26656 }))
    raw.sendMessage(PEX_CHANNEL, encodePexMessage({ type: 'pex_addrs', addrs }))
    const reason = await removalReason(target, raw)
    expect(reason).toBeInstanceOf(UnsolicitedAddrsError)
    for (const a of addrs) expect(target.book!.hasAddress(NetAddress.fromParts(a.id, a.ip, a.port))).toBe(false)
  })
})

describe('peer churn', () => {
  it('300 peers that connect, ask for addresses and leave: per-peer state is released, the heap returns to its baseline', async () => {
    const target = await node({ pex: { ensurePeersPeriodMs: 60_000, routabilityStrict: true } })
    const churn = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i += 20) {
        await Promise.all(
          Array.from({ length: 20 }, async (_, j) => {
            const raw = await RawPeer.connect(target.addr.port, { info: { channels: Uint8Array.of(PEX_CHANNEL, APP) }, localAddress: `127.0.3.${1 + ((i + j) % 250)}` })
            await waitFor(() => target.sw.peers().has(raw.id), 10_000, 'the peer')
            raw.sendMessage(PEX_CHANNEL, encodePexMessage({ type: 'pex_request' }))
            raw.sendMessage(APP, Uint8Array.of(i, j))
            await waitFor(() => target.app.countFrom(raw.id) === 1, 10_000, 'its message')
            raw.destroy()
            await waitFor(() => !target.sw.peers().has(raw.id), 10_000, 'the peer to leave')
          })
        )
      }
    }
    await churn(40) // warm-up
    target.app.removed.length = 0
    target.app.added.length = 0
    target.app.received.length = 0
    target.app.counts.clear()
    const resources = activeResources()
    const baseline = await heapAfterGc()
    await churn(300)
    target.app.removed.length = 0
    target.app.added.length = 0
    target.app.received.length = 0
    target.app.counts.clear()
    const after = await heapAfterGc()
    expect(target.sw.peers().size).toBe(0)
    expect(target.pex!.stats().requestsReceived).toBeGreaterThanOrEqual(340)
    expect(await waitForNoLeaks(resources)).toEqual({})
    // 300 peers may not leave more than 4 MiB behind (about 14 KiB each).
    expect(after - baseline).toBeLessThan(4 * MiB)
    console.log(`[figure] 300 peers churned: heap after GC ${((after - baseline) / MiB).toFixed(2)} MiB over baseline`)
  })
})

/** A PEX stand-in that answers every request with a fixed (hostile) list. */
class JunkPexReactor extends BaseReactor {
  requests = 0
  constructor(readonly answer: () => NetAddressProto[]) {
    super('JunkPex')
  }

  override getChannels(): ChannelDescriptor[] {
    return [{ id: PEX_CHANNEL, priority: 1, sendQueueCapacity: 10, recvMessageCapacity: 64_000 }]
  }

  override receive({ peer }: Envelope): void {
    this.requests++
    peer.trySend(PEX_CHANNEL, encodePexMessage({ type: 'pex_addrs', addrs: this.answer() }))
  }
}

describe('address lists full of junk', () => {
  it('the book keeps only the valid, routable, distinct addresses that are not ours', async () => {
    const target = await node({ pex: { ensurePeersPeriodMs: 60_000, routabilityStrict: true } })
    // Our public address, as a node announcing an external address would record it.
    const ourExternal = NetAddress.fromParts(target.key.id, '203.0.113.9', 26656)
    target.book!.addOurAddress(ourExternal)
    const good = Array.from({ length: 3 }, (_, i) => ({ id: NodeKey.generate().id, ip: `8.8.${i}.8`, port: 26656 }))
    const repeated = { id: NodeKey.generate().id, ip: '9.9.9.9', port: 26656 }
    const junk: NetAddressProto[] = [
      // unroutable
      ...['10.0.0.1', '192.168.1.1', '172.16.5.4', '127.0.0.5', '169.254.1.1', '::1', 'fe80::1', 'fc00::1'].map((ip) => ({
        id: NodeKey.generate().id,
        ip,
        port: 26656
      })),
      // invalid
      { id: NodeKey.generate().id, ip: '0.0.0.0', port: 26656 },
      { id: NodeKey.generate().id, ip: '255.255.255.255', port: 26656 },
      { id: NodeKey.generate().id, ip: '8.8.4.4', port: 0 },
      // ours: the exact address, and our ID behind other addresses
      { id: ourExternal.id, ip: ourExternal.ip, port: ourExternal.port },
      { id: target.key.id, ip: '198.51.100.7', port: 26656 },
      { id: target.key.id, ip: '7.7.7.7', port: 1234 },
      // the same address over and over
      ...Array.from({ length: 150 }, () => repeated)
    ]
    // The hostile node answers with PEX only; it needs channel 0x00 in its NodeInfo.
    const junkReactor = new JunkPexReactor(() => [...good, ...junk].slice(0, 250))
    const liar = await startJunkNode(junkReactor)
    await target.sw.dialPeerWithAddress(liar.addr)
    await waitFor(() => junkReactor.requests > 0, 10_000, 'the PEX request')
    await waitFor(() => target.pex!.stats().addrsReceived > 0 || !target.sw.peers().has(liar.key.id), 10_000, 'the answer')
    await waitFor(() => target.book!.size() >= good.length + 1, 10_000, 'the good addresses')
    const inBook = target.book!.listOfKnownAddresses().map((k) => k.addr.toString()).sort()
    const expected = [...good, repeated].map((a) => NetAddress.fromParts(a.id, a.ip, a.port).toString()).sort()
    expect(inBook).toEqual(expected)
    expect(target.book!.listOfKnownAddresses().some((k) => k.addr.id === target.key.id)).toBe(false)
  })

  it('a list of more than 250 addresses drops the peer and adds none of it', async () => {
    const target = await node({ pex: { ensurePeersPeriodMs: 60_000, routabilityStrict: true } })
    const many = Array.from({ length: 400 }, (_, i) => ({ id: NodeKey.generate().id, ip: `8.${i % 200}.${i >> 3}.1`, port: 26656 }))
    const junkReactor = new JunkPexReactor(() => many)
    const liar = await startJunkNode(junkReactor)
    await target.sw.dialPeerWithAddress(liar.addr)
    await waitFor(() => target.app.removed.some((r) => r.peer.id === liar.key.id), 10_000, 'the peer to be dropped')
    expect(target.app.removed.find((r) => r.peer.id === liar.key.id)!.reason).toBeInstanceOf(TooManyAddressesError)
    expect(target.book!.size()).toBe(0)
  })
})

/** A node whose only PEX is `reactor` (plus the app channel). */
async function startJunkNode(reactor: JunkPexReactor): Promise<TestNode> {
  const n = await startNode({ moniker: 'liar', noStart: true })
  nodes.push(n)
  // Not started yet: reactors can still be added.
  n.sw.addReactor('junk-pex', reactor)
  await n.sw.start()
  return n
}
