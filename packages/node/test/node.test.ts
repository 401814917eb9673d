import { createServer, type Server } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { activeResources, waitForNoLeaks } from '@comet-p2p/testing'
import { AddrBook } from '@comet-p2p/addrbook'
import { NodeKey } from '@comet-p2p/types'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError, ListenError, NODE_VERSION, NodeStateError, createNode, createNodeFromHome, initHome, type P2PNode } from '../src/index.js'
import { CHAT, ChatReactor, localNetwork, localOptions, stopAll, waitFor } from './helpers.js'

let started: P2PNode[] = []
let dir: string

beforeEach(async () => {
  started = []
  dir = await mkdtemp(join(tmpdir(), 'comet-p2p-node-'))
})

afterEach(async () => {
  await stopAll(started)
  await rm(dir, { recursive: true, force: true })
})

function track(node: P2PNode): P2PNode {
  started.push(node)
  return node
}

describe('createNode', () => {
  it('starts, connects to a persistent peer, exchanges messages, and stops without leaks', async () => {
    const before = activeResources()
    const aliceChat = new ChatReactor()
    const alice = track(createNode(localOptions('alice', { reactors: { chat: aliceChat } })))
    expect(() => alice.netAddress()).toThrow(NodeStateError)
    await alice.start()
    expect(alice.state).toBe('running')
    expect(alice.netAddress().ip).toBe('127.0.0.1')
    expect(alice.netAddress().port).toBeGreaterThan(0)
    expect(alice.netAddress().id).toBe(alice.id)
    const info = alice.nodeInfo()
    expect(info).toMatchObject({
      network: 'test-chain',
      moniker: 'alice',
      version: NODE_VERSION,
      protocolVersion: { p2p: 8, block: 11, app: 0 },
      listenAddr: `tcp://127.0.0.1:${alice.netAddress().port}`,
      other: { txIndex: 'off', rpcAddress: '' }
    })
    expect([...info.channels]).toEqual([0x00, CHAT])

    const bob = track(createNode(localOptions('bob', { p2p: { persistentPeers: [alice.netAddress().toString()] }, reactors: { chat: new ChatReactor() } })))
    const added: string[] = []
    bob.on('peer:added', (peer) => added.push(peer.nodeInfo.moniker))
    await bob.start()
    await waitFor(() => alice.peers().length === 1 && bob.peers().length === 1, 'alice and bob to connect')
    expect(added).toEqual(['alice'])
    expect(bob.peers()[0]!.isPersistent).toBe(true)
    await bob.peers()[0]!.send(CHAT, new TextEncoder().encode('hi'))
    await waitFor(() => aliceChat.heard.length === 1, 'the message')
    expect(aliceChat.heard[0]).toEqual({ from: 'bob', text: 'hi' })
    expect(alice.reactor('chat')).toBe(aliceChat)
    expect(alice.reactor('PEX')).toBe(alice.pex)

    await bob.stop()
    await alice.stop()
    expect(alice.state).toBe('stopped')
    await expect(alice.start()).rejects.toBeInstanceOf(NodeStateError)
    await alice.stop() // idempotent
    expect(await waitForNoLeaks(before)).toEqual({})
  })

  it('runs without PEX and with a key of our own', async () => {
    const key = NodeKey.generate()
    const node = track(createNode(localOptions('solo', { nodeKey: key, p2p: { pex: false } })))
    expect(node.id).toBe(key.id)
    expect(node.pex).toBeUndefined()
    await node.start()
    expect([...node.nodeInfo().channels]).toEqual([])
    expect(node.netAddress().id).toBe(key.id)
  })

  it('announces the external address and custom NodeInfo fields', async () => {
    const node = track(
      createNode(
        localOptions('ext', {
          p2p: { externalAddress: '203.0.113.7:26656' },
          nodeInfo: { protocolVersion: { app: 3 }, version: 'v1-test', txIndex: 'on', rpcAddress: 'tcp://0.0.0.0:26657' }
        })
      )
    )
    await node.start()
    expect(node.nodeInfo()).toMatchObject({
      listenAddr: '203.0.113.7:26656',
      version: 'v1-test',
      protocolVersion: { p2p: 8, block: 11, app: 3 },
      other: { txIndex: 'on', rpcAddress: 'tcp://0.0.0.0:26657' }
    })
  })

  it('resolves a host name in laddr before listening', async () => {
    const asked: string[] = []
    const lookup = async (host: string): Promise<string[]> => {
      asked.push(host)
      return ['127.0.0.1']
    }
    const node = track(createNode(localOptions('named', { p2p: { laddr: 'tcp://p2p.example:0' }, lookup })))
    await node.start()
    expect(asked).toEqual(['p2p.example'])
    expect(node.netAddress().ip).toBe('127.0.0.1')
  })

  it('refuses a configuration without chain ID, or with a bad address, naming the key', () => {
    const missing = (() => {
      try {
        createNode({ moniker: 'x' })
      } catch (err) {
        return err
      }
    })()
    expect(missing).toBeInstanceOf(ConfigError)
    expect((missing as ConfigError).key).toBe('chain_id')
    expect(() => createNode({ chainId: 'c', p2p: { laddr: 'udp://1.2.3.4:5' } })).toThrow(/p2p\.laddr must be tcp:\/\/host:port/)
    expect(() => createNode({ chainId: 'c', p2p: { seeds: ['nope'] } })).toThrow(ConfigError)
  })

  it('reports a port in use as a ListenError and releases everything', async () => {
    const before = activeResources()
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    const node = createNode(localOptions('late', { p2p: { laddr: `tcp://127.0.0.1:${port}` } }))
    const err = await node.start().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ListenError)
    expect((err as ListenError).systemCode).toBe('EADDRINUSE')
    expect((err as ListenError).message).toBe(`cannot listen on tcp://127.0.0.1:${port}: the address is already in use (is another node running?)`)
    expect(node.state).toBe('stopped')
    await new Promise<void>((resolve) => blocker.close(() => resolve()))
    expect(await waitForNoLeaks(before)).toEqual({})
  })

  it('finds other nodes through a seed (PEX)', async () => {
    const { seed, nodes } = await localNetwork(2)
    started.push(seed, ...nodes)
    const [a, b] = nodes as [P2PNode, P2PNode]
    await waitFor(() => a.peers().some((p) => p.id === b.id) || b.peers().some((p) => p.id === a.id), 'the two nodes to meet', 15_000)
  })
})

describe('createNodeFromHome', () => {
  it('two homes connect through persistent_peers and keep their address books', async () => {
    const homeA = join(dir, 'a')
    const homeB = join(dir, 'b')
    const p2p = { laddr: 'tcp://127.0.0.1:0', allowDuplicateIp: true, addrBookStrict: false }
    await initHome({ home: homeA, chainId: 'home-chain', moniker: 'a', config: { p2p } })
    await initHome({ home: homeB, chainId: 'home-chain', moniker: 'b', config: { p2p } })
    const a = track(await createNodeFromHome(homeA))
    await a.start()
    const b = track(await createNodeFromHome(homeB, { p2p: { persistentPeers: [a.netAddress().toString()] } }, { switch: { dialRandomizerIntervalMs: 0 } }))
    expect(b.config.chainId).toBe('home-chain')
    await b.start()
    await waitFor(() => b.peers().some((p) => p.id === a.id), 'b to reach a')
    expect(b.peers()[0]!.nodeInfo.moniker).toBe('a')
    const aAddr = a.netAddress()
    await b.stop()
    await a.stop()
    const book = new AddrBook({ filePath: join(homeB, 'config', 'addrbook.json'), routabilityStrict: false })
    await book.start()
    expect(book.hasAddress(aAddr)).toBe(true)
    await book.stop()
  })

  it('says what is missing when the home has no chain ID', async () => {
    await initHome({ home: dir })
    await expect(createNodeFromHome(dir)).rejects.toThrow(/no chain ID: .*genesis\.json does not exist/)
    const node = await createNodeFromHome(dir, { chainId: 'given' })
    expect(node.config.chainId).toBe('given')
  })
})
