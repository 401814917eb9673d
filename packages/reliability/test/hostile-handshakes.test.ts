/**
 * Hostile handshakes: connections that misbehave before they become peers.
 * Each must be rejected (reason asserted), counted in
 * rejected_connections_total{reason}, and leave no socket, timer,
 * descriptor or memory behind.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HandshakeMessageError, LowOrderPointError, FrameAuthenticationError, makeSecretConnection } from '@comet-p2p/secret-connection'
import { NetAddress, NodeKey, encodeBytesValue, encodeDelimited, encodeNodeInfo, encodeUvarint, MessageTooLargeError } from '@comet-p2p/types'
import { RejectedError } from '@comet-p2p/switch'
import { activeResources, fromHex, loadVector, waitForNoLeaks } from '@comet-p2p/testing'
import { startNode, type TestNode } from './support/nodes.js'
import { RawPeer, rawConnect, whenClosed } from './support/raw-peer.js'
import { MiB, canCollect, heapAfterGc, openFds, waitFor, waitForFds } from './support/resources.js'

const HANDSHAKE_TIMEOUT_MS = 1500

interface ScVector {
  cases: { name: string; b_to_a_hex: string }[]
}

/** A deterministic byte generator (xorshift32), so "random" input is the same on every run. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    out[i] = x & 0xff
  }
  return out
}

/** An ephemeral key message (delimited BytesValue) carrying `key`. */
function ephemeralMessage(key: Uint8Array): Uint8Array {
  return encodeDelimited(encodeBytesValue(key))
}

let node: TestNode

beforeAll(async () => {
  node = await startNode({ config: { handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS } })
})

afterAll(async () => {
  await node.stop()
})

/**
 * Runs `attack`, waits for the node to report the next inbound rejection,
 * and checks that nothing the attempt used is left behind.
 */
async function expectRejected(attack: () => Promise<Socket | undefined>): Promise<RejectedError> {
  const resources = activeResources()
  const fds = openFds()
  const seen = node.rejections.length
  const socket = await attack()
  await waitFor(() => node.rejections.length > seen, 10_000, 'the rejection')
  const rejection = node.rejections[seen]!
  if (socket !== undefined) {
    // Our side closed the connection: the attacker sees it close.
    await whenClosed(socket)
  }
  expect(await waitForNoLeaks(resources)).toEqual({})
  expect(await waitForFds(fds)).toBeLessThanOrEqual(fds)
  expect(node.sw.peers().size).toBe(0)
  return rejection
}

function counter(reason: string): number {
  return node.metrics.rejectedConnections(reason)
}

describe('hostile handshakes are rejected, counted and leave nothing behind', () => {
  it('a connection that sends nothing times out', async () => {
    const before = counter('timeout')
    const rejection = await expectRejected(async () => {
      const socket = await rawConnect(node.addr.port)
      socket.resume()
      return socket
    })
    expect(rejection.reason).toBe('timeout')
    expect(counter('timeout')).toBe(before + 1)
  })

  it('a connection that sends one byte per second times out', async () => {
    const before = counter('timeout')
    const message = ephemeralMessage(NodeKey.generate().publicKey)
    let timer: ReturnType<typeof setInterval> | undefined
    const rejection = await expectRejected(async () => {
      const socket = await rawConnect(node.addr.port)
      socket.resume()
      let i = 0
      timer = setInterval(() => {
        if (socket.destroyed || i >= message.length) return
        socket.write(message.subarray(i, ++i))
      }, 1000)
      socket.once('close', () => clearInterval(timer))
      return socket
    })
    clearInterval(timer)
    expect(rejection.reason).toBe('timeout')
    expect(counter('timeout')).toBe(before + 1)
  })

  it('random bytes fail the handshake', async () => {
    const before = counter('handshake_failed')
    const rejection = await expectRejected(async () => {
      const socket = await rawConnect(node.addr.port)
      socket.resume()
      socket.write(pseudoRandomBytes(4096, 0x5eed))
      return socket
    })
    expect(rejection.reason).toBe('handshake_failed')
    expect(counter('handshake_failed')).toBe(before + 1)
  })

  it('a valid ephemeral key followed by garbage fails frame authentication', async () => {
    const before = counter('handshake_failed')
    const rejection = await expectRejected(async () => {
      const socket = await rawConnect(node.addr.port)
      socket.resume()
      socket.write(ephemeralMessage(NodeKey.generate().publicKey.slice()))
      socket.write(pseudoRandomBytes(2 * 1044, 7))
      return socket
    })
    expect(rejection.reason).toBe('handshake_failed')
    expect(rejection.cause).toBeInstanceOf(FrameAuthenticationError)
    expect(counter('handshake_failed')).toBe(before + 1)
  })

  it('a replayed recorded handshake fails: our ephemeral key differs', async () => {
    const vector = loadVector<ScVector>('secret-connection.json')
    const recorded = fromHex(vector.cases[0]!.b_to_a_hex)
    const before = counter('handshake_failed')
    const rejection = await expectRejected(async () => {
      const socket = await rawConnect(node.addr.port)
      socket.resume()
      socket.write(recorded)
      return socket
    })
    expect(rejection.reason).toBe('handshake_failed')
    expect(rejection.cause).toBeInstanceOf(FrameAuthenticationError)
    expect(counter('handshake_failed')).toBe(before + 1)
  })

  it('a low-order ephemeral point is refused', async () => {
    const before = counter('handshake_failed')
    const rejection = await expectRejected(async () => {
      const socket = await rawConnect(node.addr.port)
      socket.resume()
      socket.write(ephemeralMessage(new Uint8Array(32)))
      return socket
    })
    expect(rejection.reason).toBe('handshake_failed')
    expect(rejection.cause).toBeInstanceOf(LowOrderPointError)
    expect(counter('handshake_failed')).toBe(before + 1)
  })

  it('an announced 1 MiB handshake message is refused at once, before any allocation', async () => {
    const before = counter('handshake_failed')
    const rejection = await expectRejected(async () => {
      const socket = await rawConnect(node.addr.port)
      socket.resume()
      socket.write(Buffer.concat([encodeUvarint(1 << 20), Buffer.of(0x0a)]))
      return socket
    })
    expect(rejection.reason).toBe('handshake_failed')
    expect(rejection.cause).toBeInstanceOf(HandshakeMessageError)
    expect((rejection.cause as HandshakeMessageError).cause).toBeInstanceOf(MessageTooLargeError)
    expect(counter('handshake_failed')).toBe(before + 1)
  })

  it('a NodeInfo whose ID differs from the authenticated key is an auth failure', async () => {
    const before = counter('auth_failure')
    const rejection = await expectRejected(async () => {
      const peer = await RawPeer.connect(node.addr.port, { info: { id: NodeKey.generate().id } })
      return peer.socket
    })
    expect(rejection.reason).toBe('auth_failure')
    expect(counter('auth_failure')).toBe(before + 1)
  })

  it('an incompatible NodeInfo (other network) is refused', async () => {
    const before = counter('incompatible')
    const rejection = await expectRejected(async () => {
      const peer = await RawPeer.connect(node.addr.port, { info: { network: 'another-chain' } })
      return peer.socket
    })
    expect(rejection.reason).toBe('incompatible')
    expect(counter('incompatible')).toBe(before + 1)
  })

  it('an oversized NodeInfo is refused as soon as its length shows', async () => {
    const before = counter('node_info_invalid')
    const rejection = await expectRejected(async () => {
      const key = NodeKey.generate()
      const socket = await rawConnect(node.addr.port)
      const sc = await makeSecretConnection(socket, key, { timeoutMs: 5000 })
      sc.on('error', () => undefined)
      sc.resume()
      sc.write(encodeUvarint(64 * 1024))
      sc.write(new Uint8Array(4096))
      return socket
    })
    expect(rejection.reason).toBe('node_info_invalid')
    expect(counter('node_info_invalid')).toBe(before + 1)
  })

  it('a NodeInfo that fails validation is refused', async () => {
    const before = counter('node_info_invalid')
    const rejection = await expectRejected(async () => {
      const key = NodeKey.generate()
      const socket = await rawConnect(node.addr.port)
      const sc = await makeSecretConnection(socket, key, { timeoutMs: 5000 })
      sc.on('error', () => undefined)
      sc.resume()
      // 200 channels: above the 16 a NodeInfo may list.
      const info = {
        protocolVersion: { p2p: 8, block: 11, app: 0 },
        id: key.id,
        listenAddr: '127.0.0.1:1',
        network: node.sw.nodeInfo().network,
        version: '1',
        channels: Uint8Array.from({ length: 200 }, (_, i) => i),
        moniker: 'x',
        other: { txIndex: 'off', rpcAddress: '' }
      }
      sc.write(encodeDelimited(encodeNodeInfo(info)))
      return socket
    })
    expect(rejection.reason).toBe('node_info_invalid')
    expect(counter('node_info_invalid')).toBe(before + 1)
  })
})

describe('dialing a node that presents another ID', () => {
  let server: Server | undefined

  afterAll(() => server?.close())

  it('is an auth failure, counted, with nothing left behind', async () => {
    const impostor = NodeKey.generate()
    server = createServer((socket) => {
      socket.on('error', () => undefined)
      makeSecretConnection(socket, impostor, { timeoutMs: 5000 }).then(
        (sc) => sc.destroy(),
        () => undefined
      )
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    const resources = activeResources()
    const expected = NodeKey.generate().id
    const before = counter('auth_failure')
    const error = await node.sw.dialPeerWithAddress(NetAddress.fromParts(expected, '127.0.0.1', port)).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(RejectedError)
    expect((error as RejectedError).reason).toBe('auth_failure')
    expect(counter('auth_failure')).toBe(before + 1)
    expect(node.sw.peers().size).toBe(0)
    server.close()
    server = undefined
    expect(await waitForNoLeaks(resources)).toEqual({})
  })
})

describe('many hostile attempts', () => {
  it('leave the heap near its baseline', async () => {
    const attacks: (() => Uint8Array)[] = [
      () => pseudoRandomBytes(2048, 11),
      () => ephemeralMessage(new Uint8Array(32)),
      () => Buffer.concat([ephemeralMessage(NodeKey.generate().publicKey.slice()), pseudoRandomBytes(1100, 3)]),
      () => Buffer.concat([encodeUvarint(1 << 20), Buffer.of(1)])
    ]
    const run = async (count: number): Promise<void> => {
      const seen = node.rejections.length
      for (let i = 0; i < count; i += 20) {
        await Promise.all(
          Array.from({ length: Math.min(20, count - i) }, async (_, j) => {
            const socket = await rawConnect(node.addr.port)
            socket.resume()
            socket.write(attacks[(i + j) % attacks.length]!())
            await whenClosed(socket)
          })
        )
      }
      await waitFor(() => node.rejections.length >= seen + count, 20_000, 'every rejection')
    }
    expect(canCollect).toBe(true) // vitest.config.ts runs the files with --expose-gc
    await run(40) // warm-up: code paths compiled, pools allocated
    node.rejections.length = 0
    const resources = activeResources()
    const baseline = await heapAfterGc()
    await run(400)
    node.rejections.length = 0
    await sleep(50)
    const after = await heapAfterGc()
    expect(await waitForNoLeaks(resources)).toEqual({})
    // 400 rejected connections may not keep more than 4 MiB (about 10 KiB each).
    expect(after - baseline).toBeLessThan(4 * MiB)
    console.log(`[figure] 400 hostile handshakes: heap after GC ${((after - baseline) / MiB).toFixed(2)} MiB over baseline`)
  })

  it('pending oversized announcements do not each hold a large buffer', async () => {
    // 50 connections announce a 1 MiB handshake message and then trickle;
    // with a 1 MiB limit each would allocate its buffer at once (50 MiB).
    const seen = node.rejections.length
    const before = process.memoryUsage().arrayBuffers
    const sockets = await Promise.all(
      // From 50 loopback addresses, so that the per-IP handshake limit does not cut the test short.
      Array.from({ length: 50 }, async (_, i) => {
        const socket = await rawConnect(node.addr.port, `127.0.1.${i + 1}`)
        socket.resume()
        socket.write(Buffer.concat([encodeUvarint(1_000_000), Buffer.of(1, 2, 3)]))
        return socket
      })
    )
    await sleep(200)
    const during = process.memoryUsage().arrayBuffers
    for (const socket of sockets) socket.destroy()
    await waitFor(() => node.rejections.length >= seen + 50, 10_000, 'every rejection')
    expect(during - before).toBeLessThan(8 * MiB)
    console.log(`[figure] 50 pending 1 MB announcements: array buffers +${((during - before) / MiB).toFixed(2)} MiB`)
  })
})
