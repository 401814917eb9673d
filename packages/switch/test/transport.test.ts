import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { activeResources, waitForNoLeaks, type ResourceCounts } from '@comet-p2p/testing'
import {
  MessageTooLargeError,
  NetAddress,
  NodeInfoIncompatibleError,
  NodeInfoInvalidError,
  NodeKey,
  TimeoutError,
  encodeDelimited,
  encodeNodeInfo,
  encodeUvarint
} from '@comet-p2p/types'
import { RemoteIdMismatchError } from '@comet-p2p/secret-connection'
import {
  DialError,
  RejectedError,
  TcpTransport,
  TransportClosedError,
  type RejectionReason,
  type Transport,
  type UpgradedConnection
} from '../src/index.js'
import { FakeMetrics } from './fake-metrics.js'
import { listeningTransport, nodeInfoFor, rawConnect, waitFor } from './helpers.js'
import { ScriptedPeer } from './scripted-peer.js'

function nextRejection(transport: Transport): Promise<RejectedError> {
  return new Promise((resolve) => {
    const listener = (err: RejectedError): void => {
      transport.off('rejected', listener)
      resolve(err)
    }
    transport.on('rejected', listener)
  })
}

async function expectRejected(promise: Promise<unknown>, reason: RejectionReason): Promise<RejectedError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(RejectedError)
  expect((err as RejectedError).code).toBe('ERR_REJECTED')
  expect((err as RejectedError).reason).toBe(reason)
  return err as RejectedError
}

let before: ResourceCounts
const open: TcpTransport[] = []
const conns: [Transport, UpgradedConnection][] = []

async function transport(...args: Parameters<typeof listeningTransport>): ReturnType<typeof listeningTransport> {
  const t = await listeningTransport(...args)
  open.push(t.transport)
  return t
}

beforeEach(() => {
  before = activeResources()
})

afterEach(async () => {
  for (const [t, c] of conns.splice(0)) t.cleanup(c)
  for (const t of open.splice(0)) await t.close()
  expect(await waitForNoLeaks(before)).toEqual({})
})

describe('TcpTransport upgrade', () => {
  it('exchanges NodeInfo and checks the IDs both ways', async () => {
    const a = await transport()
    const b = await transport()
    const inbound = b.transport.accept()
    const out = await a.transport.dial(b.transport.netAddress()!)
    const inc = await inbound
    conns.push([a.transport, out], [b.transport, inc])
    expect(out.outbound).toBe(true)
    expect(out.id).toBe(b.key.id)
    expect(out.nodeInfo).toEqual(b.info)
    expect(out.socketAddr.equals(b.transport.netAddress()!)).toBe(true)
    expect(inc.outbound).toBe(false)
    expect(inc.id).toBe(a.key.id)
    expect(inc.nodeInfo).toEqual(a.info)
    expect(inc.remoteIp).toBe('127.0.0.1')
    expect(inc.socketAddr.id).toBe(a.key.id)
    // The encrypted streams work.
    const got = new Promise<Buffer>((resolve) => inc.stream.once('data', resolve))
    inc.stream.resume()
    out.stream.write(Buffer.from('ping'))
    expect((await got).toString()).toBe('ping')
  })

  it('resolves port 0 and reports the bound address with our ID', async () => {
    const a = await transport()
    const addr = a.transport.netAddress()!
    expect(addr.id).toBe(a.key.id)
    expect(addr.port).toBeGreaterThan(0)
    expect(addr.ip).toBe('127.0.0.1')
  })

  it('rejects a peer that authenticates as another ID than the one dialed (auth_failure)', async () => {
    const a = await transport()
    const b = await transport()
    const real = b.transport.netAddress()!
    const wrong = NetAddress.fromParts(NodeKey.generate().id, real.ip, real.port)
    const err = await expectRejected(a.transport.dial(wrong), 'auth_failure')
    expect(err.cause).toBeInstanceOf(RemoteIdMismatchError)
    await nextRejection(b.transport)
  })

  it('rejects a connection to ourselves (self), on both ends', async () => {
    const a = await transport()
    const inbound = nextRejection(a.transport)
    const err = await expectRejected(a.transport.dial(a.transport.netAddress()!), 'self')
    expect(err.id).toBe(a.key.id)
    const inErr = await inbound
    expect(inErr.reason).toBe('self')
    expect(inErr.addr?.id).toBe(a.key.id)
  })

  it('rejects an incompatible network (incompatible)', async () => {
    const a = await transport()
    const b = await transport({}, { network: 'other-chain' })
    const inbound = nextRejection(b.transport)
    const err = await expectRejected(a.transport.dial(b.transport.netAddress()!), 'incompatible')
    expect(err.cause).toBeInstanceOf(NodeInfoIncompatibleError)
    expect((err.cause as NodeInfoIncompatibleError).reason).toBe('network')
    expect((await inbound).reason).toBe('incompatible')
  })

  it('rejects an invalid NodeInfo (node_info_invalid) and closes the socket', async () => {
    const b = await transport()
    const key = NodeKey.generate()
    const rejected = nextRejection(b.transport)
    const peer = await ScriptedPeer.connect(b.transport.netAddress()!.port, key)
    peer.write(encodeDelimited(encodeNodeInfo(nodeInfoFor(key, { moniker: '' }))))
    const err = await rejected
    expect(err.reason).toBe('node_info_invalid')
    expect(err.cause).toBeInstanceOf(NodeInfoInvalidError)
    expect((err.cause as NodeInfoInvalidError).field).toBe('moniker')
    await peer.closed()
  })

  it('rejects a NodeInfo whose ID is not the authenticated one (auth_failure)', async () => {
    const b = await transport()
    const key = NodeKey.generate()
    const rejected = nextRejection(b.transport)
    const peer = await ScriptedPeer.connect(b.transport.netAddress()!.port, key)
    peer.write(encodeDelimited(encodeNodeInfo(nodeInfoFor(NodeKey.generate()))))
    expect((await rejected).reason).toBe('auth_failure')
    await peer.closed()
  })

  it('rejects an oversized NodeInfo as soon as its length prefix arrives (node_info_invalid)', async () => {
    const b = await transport()
    const rejected = nextRejection(b.transport)
    const peer = await ScriptedPeer.connect(b.transport.netAddress()!.port)
    peer.write(encodeUvarint(10_241))
    const err = await rejected
    expect(err.reason).toBe('node_info_invalid')
    expect(err.cause).toBeInstanceOf(MessageTooLargeError)
    await peer.closed()
  })

  it('rejects a second connection with the same remote ip:port (duplicate)', async () => {
    const a = await transport()
    const b = await transport()
    const inbound = b.transport.accept()
    const first = await a.transport.dial(b.transport.netAddress()!)
    conns.push([a.transport, first], [b.transport, await inbound])
    await expectRejected(a.transport.dial(b.transport.netAddress()!), 'duplicate')
    // Once cleaned up, the address can be dialed again.
    a.transport.cleanup(first)
    const again = b.transport.accept()
    const second = await a.transport.dial(b.transport.netAddress()!)
    conns.push([a.transport, second], [b.transport, await again])
  })

  it('rejects a connection a filter refuses (filtered)', async () => {
    const seen: string[][] = []
    const b = await transport({
      connFilters: [
        (_conns, _socket, ips) => {
          seen.push([...ips])
          throw new Error('not welcome')
        }
      ]
    })
    const a = await transport()
    const rejected = nextRejection(b.transport)
    await expect(a.transport.dial(b.transport.netAddress()!)).rejects.toBeInstanceOf(RejectedError)
    const err = await rejected
    expect(err.reason).toBe('filtered')
    expect((err.cause as Error).message).toBe('not welcome')
    expect(seen).toEqual([['127.0.0.1']])
  })

  it('rejects a connection whose filters do not answer in time (filter_timeout)', async () => {
    const b = await transport({ filterTimeoutMs: 30, connFilters: [() => new Promise<void>(() => undefined)] })
    const rejected = nextRejection(b.transport)
    const socket = await rawConnect(b.transport.netAddress()!.port)
    expect((await rejected).reason).toBe('filter_timeout')
    await waitFor(() => socket.closed)
  })

  it('closes a connection that sends nothing within the handshake time limit (timeout)', async () => {
    const b = await transport({ handshakeTimeoutMs: 50 })
    const rejected = nextRejection(b.transport)
    const socket = await rawConnect(b.transport.netAddress()!.port)
    const err = await rejected
    expect(err.reason).toBe('timeout')
    expect(err.cause).toBeInstanceOf(TimeoutError)
    await waitFor(() => socket.closed)
  })

  it('closes a connection that sends garbage (handshake_failed)', async () => {
    const b = await transport()
    const rejected = nextRejection(b.transport)
    const socket = await rawConnect(b.transport.netAddress()!.port)
    socket.write(Buffer.alloc(200, 0xff))
    expect((await rejected).reason).toBe('handshake_failed')
    await waitFor(() => socket.closed)
  })

  it('upgrades inbound connections concurrently: a stalled one does not block others', async () => {
    const b = await transport()
    const a = await transport()
    const stalled = await rawConnect(b.transport.netAddress()!.port)
    const inbound = b.transport.accept()
    const out = await a.transport.dial(b.transport.netAddress()!)
    conns.push([a.transport, out], [b.transport, await inbound])
    stalled.destroy()
  })

  it('limits concurrent inbound handshakes per IP (too_many_from_ip)', async () => {
    const b = await transport({ maxHandshakesPerIp: 2 })
    const reasons: string[] = []
    b.transport.on('rejected', (err) => reasons.push(err.reason))
    const sockets = await Promise.all([1, 2, 3, 4].map(() => rawConnect(b.transport.netAddress()!.port)))
    await waitFor(() => reasons.length === 2)
    expect(reasons).toEqual(['too_many_from_ip', 'too_many_from_ip'])
    expect(b.transport.pendingHandshakes).toBe(2)
    for (const s of sockets) s.destroy()
    await waitFor(() => b.transport.pendingHandshakes === 0)
  })

  it('limits concurrent inbound handshakes overall (too_many_handshakes)', async () => {
    const b = await transport({ maxConcurrentHandshakes: 1 })
    const rejected = nextRejection(b.transport)
    const first = await rawConnect(b.transport.netAddress()!.port)
    const second = await rawConnect(b.transport.netAddress()!.port)
    expect((await rejected).reason).toBe('too_many_handshakes')
    await waitFor(() => second.closed)
    first.destroy()
  })

  it('limits open inbound connections, overall and per IP', async () => {
    const b = await transport({ maxIncomingConnections: 1 })
    const c = await transport({ maxConnectionsPerIp: 1 })
    const rejectedB = nextRejection(b.transport)
    const rejectedC = nextRejection(c.transport)
    const sockets = [
      await rawConnect(b.transport.netAddress()!.port),
      await rawConnect(b.transport.netAddress()!.port),
      await rawConnect(c.transport.netAddress()!.port),
      await rawConnect(c.transport.netAddress()!.port)
    ]
    expect((await rejectedB).reason).toBe('too_many_connections')
    expect((await rejectedC).reason).toBe('too_many_from_ip')
    for (const s of sockets) s.destroy()
  })

  it('counts rejections in rejected_connections_total{reason}', async () => {
    const metrics = new FakeMetrics()
    const b = await transport({ metrics })
    const rejected = nextRejection(b.transport)
    const socket = await rawConnect(b.transport.netAddress()!.port)
    socket.write(Buffer.alloc(64, 0))
    await rejected
    expect(metrics.get('rejected_connections_total', { reason: 'handshake_failed' })).toBe(1)
  })

  it('reports a refused dial as DialError, and a dial to a silent address as timed out', async () => {
    const a = await transport({ dialTimeoutMs: 2000 })
    const b = await transport()
    const addr = b.transport.netAddress()!
    await b.transport.close()
    const err = await a.transport.dial(addr).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(DialError)
    expect((err as DialError).code).toBe('ERR_DIAL')
  })

  it('close() rejects pending accepts, aborts handshakes, and refuses further use', async () => {
    const b = await transport()
    const pending = b.transport.accept()
    const socket = await rawConnect(b.transport.netAddress()!.port)
    await waitFor(() => b.transport.pendingHandshakes === 1)
    await b.transport.close()
    await expect(pending).rejects.toBeInstanceOf(TransportClosedError)
    await expect(b.transport.accept()).rejects.toBeInstanceOf(TransportClosedError)
    await expect(b.transport.dial(b.transport.netAddress()!)).rejects.toBeInstanceOf(TransportClosedError)
    await waitFor(() => socket.closed)
  })

  it('hands over bytes the peer sent right after its NodeInfo', async () => {
    const b = await transport()
    const key = NodeKey.generate()
    const inbound = b.transport.accept()
    const peer = await ScriptedPeer.connect(b.transport.netAddress()!.port, key)
    const info = encodeDelimited(encodeNodeInfo(nodeInfoFor(key)))
    peer.write(Buffer.concat([info, Buffer.from('after')]))
    const conn = await inbound
    conns.push([b.transport, conn])
    const chunk = await new Promise<Buffer>((resolve) => {
      conn.stream.once('data', resolve)
      conn.stream.resume()
    })
    expect(chunk.toString()).toBe('after')
    peer.destroy()
  })

  it('requires a NodeInfo with our ID', () => {
    const key = NodeKey.generate()
    expect(() => new TcpTransport({ nodeKey: key, nodeInfo: nodeInfoFor(NodeKey.generate()) })).toThrow(/not the node key/)
  })
})
