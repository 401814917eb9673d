/**
 * Faults: a peer process killed mid-message, a reset socket, a network
 * partition that heals, persistent peers restarting, a seed whose DNS
 * lookup fails.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { ConnectionClosedError, TransportError } from '@comet-p2p/mconnection'
import { createNode } from '@comet-p2p/node'
import { NetAddress, NodeKey } from '@comet-p2p/types'
import { activeResources, waitForNoLeaks } from '@comet-p2p/testing'
import { APP, startNode, type TestNode } from './support/nodes.js'
import { RawPeer } from './support/raw-peer.js'
import { MiB, openFds, waitFor, waitForFds } from './support/resources.js'
import { Partitioner } from './support/proxy.js'

const nodes: TestNode[] = []
const cleanups: (() => void | Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  await Promise.all(nodes.splice(0).map((n) => n.stop()))
})

async function node(options: Parameters<typeof startNode>[0] = {}): Promise<TestNode> {
  const n = await startNode(options)
  nodes.push(n)
  return n
}

describe('the remote process killed mid-message', () => {
  it('is detected, the peer removed, no partial message delivered, nothing left behind', async () => {
    const target = await node({ channel: { id: APP, priority: 1, sendQueueCapacity: 10, recvMessageCapacity: 32 * MiB } })
    const resources = activeResources()
    const fds = openFds()
    const child = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/sender-peer.mjs', import.meta.url)), target.addr.toString()], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    })
    let line = ''
    child.stdout.on('data', (chunk: Buffer) => (line += chunk.toString()))
    await waitFor(() => line.includes('\n'), 20_000, 'the child to start sending')
    const childId = line.trim().split(' ')[1]!
    const bytesFromChild = (): number => target.metrics.value('peer_receive_bytes_total', { peer_id: childId, chID: '0x77' })
    // Part of the 8 MiB message has arrived (it takes about 8 s at the child's 1 MB/s).
    await waitFor(() => bytesFromChild() > 256 * 1024, 20_000, 'part of the message')
    child.kill('SIGKILL')
    await once(child, 'exit')
    await waitFor(() => target.app.removed.some((r) => r.peer.id === childId), 10_000, 'the peer to be removed')
    const reason = target.app.removed.find((r) => r.peer.id === childId)!.reason
    expect(reason instanceof ConnectionClosedError || reason instanceof TransportError).toBe(true)
    expect(bytesFromChild()).toBe(0) // the peer's series is gone with it
    expect(target.app.countFrom(childId)).toBe(0)
    expect(target.sw.peers().size).toBe(0)
    child.stdout.destroy()
    expect(await waitForNoLeaks(resources)).toEqual({})
    expect(await waitForFds(fds)).toBeLessThanOrEqual(fds)
  })
})

describe('a reset socket', () => {
  it('removes the peer with a transport error and leaks nothing', async () => {
    const target = await node()
    const raw = await RawPeer.connect(target.addr.port)
    await waitFor(() => target.sw.peers().has(raw.id), 10_000, 'the peer')
    const resources = activeResources()
    raw.socket.resetAndDestroy()
    await waitFor(() => target.app.removed.some((r) => r.peer.id === raw.id), 10_000, 'the removal')
    const reason = target.app.removed.find((r) => r.peer.id === raw.id)!.reason
    expect(reason instanceof TransportError || reason instanceof ConnectionClosedError).toBe(true)
    expect(await waitForNoLeaks(resources)).toEqual({})
  })
})

describe('a network partition between two groups', () => {
  it('drops the cross-group peers and reconnects them when it heals; traffic flows again', async () => {
    const keepalive = { pingIntervalMs: 400, pongTimeoutMs: 300, stopTimeoutMs: 200 }
    // Group B listens behind a proxy each; group A has them as persistent peers through the proxies.
    const groupB = [await node({ moniker: 'b0', config: { mconnection: keepalive } }), await node({ moniker: 'b1', config: { mconnection: keepalive } })]
    const partitioner = new Partitioner()
    cleanups.push(() => partitioner.close())
    const proxied = await Promise.all(groupB.map((b) => partitioner.proxy(b.addr.port)))
    const persistent = groupB.map((b, i) => NetAddress.fromParts(b.key.id, '127.0.0.1', proxied[i]!).toString())
    const config = { persistentPeers: persistent, handshakeTimeoutMs: 800, reconnectIntervalMs: 100, mconnection: keepalive }
    const groupA = [await node({ moniker: 'a0', config }), await node({ moniker: 'a1', config })]
    const connected = (): boolean => groupA.every((a) => groupB.every((b) => a.sw.peers().has(b.key.id) && b.sw.peers().has(a.key.id)))
    await waitFor(connected, 15_000, 'the full mesh across the proxy')

    partitioner.partition()
    await waitFor(() => groupA.every((a) => a.sw.peers().size === 0) && groupB.every((b) => b.sw.peers().size === 0), 15_000, 'the partition to be noticed')
    // While partitioned, redials fail (their handshakes are blackholed) and nothing connects.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(groupA.every((a) => a.sw.peers().size === 0)).toBe(true)

    partitioner.heal()
    await waitFor(connected, 20_000, 'the mesh to come back')
    const before = groupB.map((b) => b.app.countFrom(groupA[0]!.key.id))
    for (const b of groupB) await groupA[0]!.sw.peers().get(b.key.id)!.send(APP, Uint8Array.of(1, 2, 3))
    await waitFor(() => groupB.every((b, i) => b.app.countFrom(groupA[0]!.key.id) > before[i]!), 10_000, 'traffic after the heal')
  })
})

describe('persistent peers that restart', () => {
  it('are redialed and reconnected after a restart on the same address', async () => {
    const b = await node({ moniker: 'b' })
    const key = b.key
    const port = b.addr.port
    const a = await node({ moniker: 'a', config: { persistentPeers: [b.addr.toString()], reconnectIntervalMs: 100 } })
    await waitFor(() => a.sw.peers().has(key.id), 10_000, 'the first connection')
    for (let round = 0; round < 3; round++) {
      const old = nodes.splice(nodes.indexOf(nodes.find((n) => n.key.id === key.id)!), 1)[0]!
      await old.stop()
      await waitFor(() => !a.sw.peers().has(key.id), 10_000, 'the peer to go')
      const restarted = await node({ nodeKey: key, port, moniker: 'b' })
      await waitFor(() => a.sw.peers().has(key.id), 15_000, `reconnection #${round + 1}`)
      await a.sw.peers().get(key.id)!.send(APP, Uint8Array.of(round))
      await waitFor(() => restarted.app.countFrom(a.key.id) === 1, 10_000, 'a message after the restart')
    }
  })
})

describe('a seed whose DNS lookup fails', () => {
  it('is logged and skipped; the node starts and reaches the other seed', async () => {
    const seed = await node({ moniker: 'seed', pex: { seedMode: true, ensurePeersPeriodMs: 500, crawlPeerPeriodMs: 500 } })
    const logs: { level: string; message: string; fields: unknown }[] = []
    const logger = {
      debug: () => undefined,
      info: (message: string, fields?: unknown) => logs.push({ level: 'info', message, fields }),
      warn: (message: string, fields?: unknown) => logs.push({ level: 'warn', message, fields }),
      error: (message: string, fields?: unknown) => logs.push({ level: 'error', message, fields }),
      child: () => logger
    }
    const lookups: string[] = []
    const failingLookup = async (host: string): Promise<readonly string[]> => {
      lookups.push(host)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
    }
    const deadSeed = `${NodeKey.generate().id}@seed.does-not-resolve.test:26656`
    const a = await node({
      moniker: 'a',
      logger,
      lookup: failingLookup,
      pex: { seeds: [deadSeed, seed.addr.toString()], ensurePeersPeriodMs: 500, lookup: failingLookup, logger }
    })
    expect(a.sw.isRunning).toBe(true)
    expect(lookups).toContain('seed.does-not-resolve.test')
    expect(logs.some((l) => JSON.stringify(l).includes('seed.does-not-resolve.test'))).toBe(true)
    expect(a.pex!.seedAddresses().map((s) => s.toString())).toEqual([seed.addr.toString()])
    // The reachable seed is dialed (it answers and, being a seed, hangs up).
    await waitFor(() => a.pex!.stats().dialsSucceeded > 0 || seed.pex!.stats().requestsReceived > 0, 15_000, 'the other seed')
  })

  it('createNode (@comet-p2p/node): the node starts, logs the failure and reaches the other seed', async () => {
    const seed = await node({ moniker: 'seed', pex: { seedMode: true, ensurePeersPeriodMs: 500, crawlPeerPeriodMs: 500 } })
    const logs: string[] = []
    const logger = {
      debug: () => undefined,
      info: (message: string, fields?: unknown) => logs.push(`${message} ${JSON.stringify(fields)}`),
      warn: (message: string, fields?: unknown) => logs.push(`${message} ${JSON.stringify(fields)}`),
      error: (message: string, fields?: unknown) => logs.push(`${message} ${JSON.stringify(fields)}`),
      child: () => logger
    }
    const failingLookup = async (host: string): Promise<readonly string[]> => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
    }
    const seen: string[] = []
    const comet = createNode({
      chainId: 'reliability-chain',
      moniker: 'node-level',
      p2p: {
        laddr: 'tcp://127.0.0.1:0',
        seeds: [`${NodeKey.generate().id}@seed.does-not-resolve.test:26656`, seed.addr.toString()],
        addrBookStrict: false,
        allowDuplicateIp: true
      },
      lookup: failingLookup,
      logger,
      pex: { ensurePeersPeriodMs: 500 },
      switch: { dialRandomizerIntervalMs: 0 }
    })
    comet.on('peer:added', (peer) => seen.push(peer.id))
    cleanups.push(() => comet.stop())
    await comet.start()
    expect(comet.isRunning).toBe(true)
    expect(logs.some((l) => l.includes('seed.does-not-resolve.test'))).toBe(true)
    await waitFor(() => seen.includes(seed.key.id), 15_000, 'the reachable seed')
  })

  it('with no seed resolving, a node with a non-empty book still starts and uses the book', async () => {
    const peer = await node({ moniker: 'peer' })
    const failingLookup = async (host: string): Promise<readonly string[]> => {
      throw new Error(`getaddrinfo ENOTFOUND ${host}`)
    }
    const a = await node({ moniker: 'a', noStart: true, pex: { seeds: [`${peer.key.id}@nowhere.test:26656`], ensurePeersPeriodMs: 300, lookup: failingLookup } })
    a.book!.addAddress(peer.addr, peer.addr)
    await a.sw.start()
    expect(a.sw.isRunning).toBe(true)
    await waitFor(() => a.sw.peers().has(peer.key.id), 15_000, 'a peer from the book')
  })
})
