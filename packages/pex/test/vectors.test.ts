import type { Duplex } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MConnection } from '@comet-p2p/mconnection'
import { fromHex, loadVector, toHex, duplexPair } from '@comet-p2p/testing'
import { NetAddress, type NetAddressProto } from '@comet-p2p/types'
import { PEX_CHANNEL, PexDecodeError, PexReactor, type PexPeerError } from '../src/index.js'
import { FakeBook, FakePeer, FakeSwitch, flush, setup } from './fakes.js'

interface VectorCase {
  name: string
  message: { type: 'pex_request' } | { type: 'pex_addrs'; addrs?: NetAddressProto[] }
  channel_id: number
  proto_hex: string
  packet_delimited_hex: string
}

interface InvalidCase {
  name: string
  description: string
  proto_hex: string
  reactor_receive_error: string | null
  peer_error: string
}

const vectors = loadVector<{ cases: VectorCase[]; invalid: InvalidCase[] }>('pex.json')

const addrsOf = (c: VectorCase): NetAddressProto[] => (c.message.type === 'pex_addrs' ? (c.message.addrs ?? []) : [])

describe('pex.json through the reactor', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('has the documented number of cases', () => {
    expect(vectors.cases).toHaveLength(5)
    expect(vectors.invalid).toHaveLength(7)
  })

  for (const c of vectors.cases) {
    it(`sends ${c.name} byte for byte`, async () => {
      const { reactor, sw, book } = setup()
      await reactor.start()
      const peer = sw.connect(new FakePeer({ outbound: false })) as FakePeer
      if (c.message.type === 'pex_request') {
        reactor.requestAddrs(peer)
      } else {
        // Our answer to the peer's request is the book's selection.
        book.selection = addrsOf(c).map((a) => NetAddress.fromProto(a))
        reactor.receive({ channelId: PEX_CHANNEL, peer, message: fromHex(vectors.cases[0]!.proto_hex) })
      }
      await flush()
      expect(peer.sent).toHaveLength(1)
      expect(peer.sent[0]!.channelId).toBe(c.channel_id)
      expect(toHex(peer.sent[0]!.bytes)).toBe(c.proto_hex)
      await reactor.stop()
    })

    it(`receives ${c.name}`, async () => {
      const seen: NetAddress[][] = []
      const { reactor, sw } = setup({ onAddrs: (_peer, addrs) => seen.push([...addrs]) })
      await reactor.start()
      const peer = sw.connect(new FakePeer({ outbound: true })) as FakePeer
      if (c.message.type === 'pex_addrs') reactor.requestAddrs(peer)
      peer.sent.length = 0
      reactor.receive({ channelId: PEX_CHANNEL, peer, message: fromHex(c.proto_hex) })
      await flush()
      expect(sw.stoppedForError).toEqual([])
      if (c.message.type === 'pex_request') {
        expect(reactor.stats().requestsReceived).toBe(1)
        expect(peer.sent).toHaveLength(1) // answered
      } else {
        expect(seen).toHaveLength(1)
        expect(seen[0]!.map((a) => a.toProto())).toEqual(addrsOf(c))
      }
      await reactor.stop()
    })
  }

  it('sends an IPv4-mapped IPv6 address as dotted IPv4, as the reference', async () => {
    const c = vectors.cases.find((v) => v.name === 'pex_addrs_3_mixed_ipv4_ipv6')!
    const { reactor, sw, book } = setup()
    await reactor.start()
    const peer = sw.connect(new FakePeer()) as FakePeer
    book.selection = addrsOf(c).map((a, i) => NetAddress.fromProto(i === 2 ? { ...a, ip: `::ffff:${a.ip}` } : a))
    reactor.receive({ channelId: PEX_CHANNEL, peer, message: fromHex(vectors.cases[0]!.proto_hex) })
    await flush()
    expect(toHex(peer.sent[0]!.bytes)).toBe(c.proto_hex)
    await reactor.stop()
  })

  for (const c of vectors.invalid) {
    it(`stops and bans the peer on ${c.name}`, async () => {
      const errors: PexPeerError[] = []
      const { reactor, sw, book } = setup({ onMisbehaviour: (_p, e) => errors.push(e) })
      await reactor.start()
      // An inbound peer: its own address goes into the book, so a ban sticks.
      const peer = sw.connect(new FakePeer({ outbound: false })) as FakePeer
      expect(book.hasAddress(peer.socketAddr)).toBe(true)
      reactor.receive({ channelId: PEX_CHANNEL, peer, message: fromHex(c.proto_hex) })
      await flush()
      expect(sw.stoppedForError).toHaveLength(1)
      expect(sw.stoppedForError[0]!.peer).toBe(peer)
      expect(errors).toHaveLength(1)
      // The reference bans for everything the reactor itself rejects; the
      // decode failures (its panics) are banned here as well.
      expect(book.isBanned(peer.socketAddr)).toBe(true)
      expect(book.markedBad[0]!.banTimeMs).toBe(24 * 60 * 60 * 1000)
      if (c.reactor_receive_error !== null) expect(errors[0]).toBeInstanceOf(PexDecodeError)
      expect(reactor.stats().misbehaviours).toBe(1)
      await reactor.stop()
    })
  }
})

/** A Peer over a real MConnection, so the bytes on the stream can be compared with the vectors. */
class MConnPeer extends FakePeer {
  readonly mconn: MConnection
  constructor(stream: Duplex, reactor: PexReactor) {
    super({ outbound: true })
    this.mconn = new MConnection(stream, reactor.getChannels(), {
      onReceive: (channelId, message) => reactor.receive({ channelId, peer: this, message }),
      config: { flushThrottleMs: 1 }
    })
  }
  override send(channelId: number, message: Uint8Array): Promise<boolean> {
    return this.mconn.send(channelId, message)
  }
}

describe('pex.json through a real MConnection', () => {
  it('writes packet_delimited_hex for every case and reads it back', async () => {
    for (const c of vectors.cases) {
      const [ours, theirs] = duplexPair()
      const seen: NetAddress[][] = []
      const sw = new FakeSwitch()
      const book = new FakeBook({ clock: { now: () => Date.now() } })
      book.needMore = false // the peer manager must not send requests of its own here
      const reactor = new PexReactor({ book, onAddrs: (_p, addrs) => seen.push([...addrs]) })
      reactor.setSwitch(sw)
      await reactor.start()
      const peer = new MConnPeer(ours, reactor)
      sw.peerMap.set(peer.id, peer)
      peer.mconn.start()
      const chunks: Buffer[] = []
      theirs.on('data', (chunk: Buffer) => chunks.push(chunk))

      if (c.message.type === 'pex_request') reactor.requestAddrs(peer)
      else {
        book.selection = addrsOf(c).map((a) => NetAddress.fromProto(a))
        reactor.receive({ channelId: PEX_CHANNEL, peer, message: fromHex(vectors.cases[0]!.proto_hex) })
      }
      const expected = c.packet_delimited_hex
      await vi.waitFor(() => expect(toHex(Buffer.concat(chunks))).toBe(expected))

      // And back: the peer's answer arrives as that packet.
      if (c.message.type === 'pex_addrs') {
        reactor.requestAddrs(peer)
        theirs.write(fromHex(c.packet_delimited_hex))
        await vi.waitFor(() => expect(seen).toHaveLength(1))
        expect(seen[0]!.map((a) => a.toProto())).toEqual(addrsOf(c))
      }
      await peer.mconn.stop()
      theirs.destroy()
      await reactor.stop()
    }
  })
})
