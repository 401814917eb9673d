import { createServer } from 'node:net'
import { NetAddress, NodeKey } from '@comet-p2p/types'
import { activeResources, waitForNoLeaks, type ResourceCounts } from '@comet-p2p/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { crawlNetwork } from '../src/crawl/crawler.js'
import { layoutGraph } from '../src/crawl/layout.js'
import { probeNodeInfo } from '../src/crawl/probe.js'
import { escapeHtml, renderReportHtml } from '../src/crawl/report-html.js'
import type { CrawlResult } from '../src/crawl/types.js'
import type { P2PNode } from '../src/index.js'
import { localNetwork, stopAll, waitFor } from './helpers.js'

let seed: P2PNode
let nodes: P2PNode[] = []
let before: ResourceCounts

beforeAll(async () => {
  before = activeResources()
  ;({ seed, nodes } = await localNetwork(3))
  await waitFor(() => seed.addrBook.size() >= 3, 'the seed to know every node', 15_000)
}, 30_000)

afterAll(async () => {
  await stopAll([seed, ...nodes])
  // Neither the network nor any crawl left a socket or timer behind.
  expect(await waitForNoLeaks(before)).toEqual({})
})

describe('crawlNetwork', () => {
  it('stops dialing at maxNodes and records the others as not dialed', async () => {
    const progress: number[] = []
    const result = await crawlNetwork({ seeds: [seed.netAddress()], chainId: 'test-chain', maxNodes: 2, onProgress: (p) => progress.push(p.known) })
    expect(result.end).toBe('done')
    expect(result.maxNodesReached).toBe(true)
    expect(result.nodes).toHaveLength(4)
    expect(result.nodes.filter((n) => n.reachable === true)).toHaveLength(2)
    const skipped = result.nodes.filter((n) => n.reachable === null)
    expect(skipped).toHaveLength(2)
    for (const node of skipped) {
      expect(node.error).toBe('not dialed: --max-nodes reached')
      expect(node.nodeInfo).toBeNull()
      expect(node.sources.length).toBeGreaterThan(0)
    }
    expect(progress.at(-1)).toBe(4)
  })

  it('records an unreachable seed and a chain mismatch', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as { port: number }).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const nowhere = NetAddress.fromParts(NodeKey.generate().id, '127.0.0.1', port)
    const result = await crawlNetwork({ seeds: [nowhere, seed.netAddress()], chainId: 'other-chain' })
    expect(result.end).toBe('done')
    const [first, second] = result.nodes
    expect(first).toMatchObject({ id: nowhere.id, reachable: false, seed: true })
    expect(first!.error).toMatch(/ECONNREFUSED|refused/i)
    expect(second).toMatchObject({ id: seed.id, reachable: false })
    expect(second!.error).toMatch(/network "test-chain"/)
  })

  it('ends at the timeout or when interrupted, keeping what it found', async () => {
    const controller = new AbortController()
    controller.abort()
    const result = await crawlNetwork({ seeds: [seed.netAddress()], chainId: 'test-chain', signal: controller.signal })
    expect(result.end).toBe('interrupted')
    expect(result.nodes.map((n) => n.id)).toEqual([seed.id])
  })

  it('probes the chain ID of a node with one handshake', async () => {
    const info = await probeNodeInfo(nodes[0]!.netAddress(), NodeKey.generate())
    expect(info).toMatchObject({ network: 'test-chain', moniker: 'node1', id: nodes[0]!.id })
  })
})

describe('report.html', () => {
  const evil = '<script>alert(1)</script>"\'&'
  const result: CrawlResult = {
    chainId: 'chain<1>',
    seeds: ['a@1.2.3.4:1'],
    startedAt: '2024-01-01T00:00:00.000Z',
    finishedAt: '2024-01-01T00:00:01.000Z',
    elapsedMs: 1000,
    end: 'done',
    maxNodesReached: false,
    maxNodes: 10,
    crawler: { id: 'c'.repeat(40), version: '0.0.0' },
    nodes: [
      {
        id: 'a'.repeat(40),
        addresses: ['1.2.3.4:1'],
        reachable: true,
        dialedAddress: '1.2.3.4:1',
        error: null,
        seed: true,
        nodeInfo: {
          network: 'chain<1>',
          version: evil,
          protocolVersion: { p2p: 8, block: 11, app: 0 },
          moniker: evil,
          channels: ['0x00'],
          listenAddr: 'tcp://1.2.3.4:1',
          txIndex: 'off',
          rpcAddress: ''
        },
        sources: [],
        addressesReported: 1
      },
      { id: 'b'.repeat(40), addresses: ['1.2.3.5:1'], reachable: null, dialedAddress: null, error: 'x</script><b>', seed: false, nodeInfo: null, sources: ['a'.repeat(40)], addressesReported: null }
    ]
  }

  it('escapes what peers sent and loads nothing from outside', () => {
    const html = renderReportHtml(result)
    expect(html).not.toContain('<script>alert(1)')
    expect(html).toContain(escapeHtml(evil))
    expect(html.match(/<\/script>/g)).toHaveLength(2) // the two script elements of the page
    expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
    expect(html.match(/data-node-id="/g)).toHaveLength(2)
    expect(html).toContain(`data-from="${'a'.repeat(40)}" data-to="${'b'.repeat(40)}"`)
  })

  it('places every node inside the picture, the same way every time', () => {
    const edges: [number, number][] = [
      [0, 1],
      [1, 2],
      [2, 0],
      [3, 4]
    ]
    const points = layoutGraph(6, edges, { width: 1000, height: 700, margin: 40 })
    expect(points).toHaveLength(6)
    for (const p of points) {
      expect(p.x).toBeGreaterThanOrEqual(39.9)
      expect(p.x).toBeLessThanOrEqual(960.1)
      expect(p.y).toBeGreaterThanOrEqual(39.9)
      expect(p.y).toBeLessThanOrEqual(660.1)
    }
    expect(layoutGraph(6, edges, { width: 1000, height: 700, margin: 40 })).toEqual(points)
    expect(layoutGraph(1, [], { width: 100, height: 100, margin: 10 })).toEqual([{ x: 50, y: 50 }])
  })
})
