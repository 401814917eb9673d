import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { P2PNode } from '../src/index.js'
import type { CrawlResult } from '../src/crawl/types.js'
import { cliEnv, runCli } from './cli-helpers.js'
import { localNetwork, stopAll, waitFor } from './helpers.js'

const CHROMIUM = '/usr/bin/chromium'
const NODES = 5

let dir: string
let seed: P2PNode
let nodes: P2PNode[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'comet-p2p-crawl-'))
  ;({ seed, nodes } = await localNetwork(NODES))
  // The seed learns every node's address when they first ask it for addresses.
  await waitFor(() => seed.addrBook.size() >= NODES, 'the seed to know every node', 15_000)
}, 30_000)

afterAll(async () => {
  await stopAll([seed, ...nodes])
  await rm(dir, { recursive: true, force: true })
})

describe('comet-p2p crawl', () => {
  const out = (): string => join(dir, 'out')

  it('crawls a local network into nodes.json and report.html, every node included', async () => {
    // No --chain-id: the crawler learns it from the seed.
    const result = await runCli(['crawl', '--seeds', seed.netAddress().toString(), '--out', out(), '--timeout', '20'], cliEnv(dir), 30_000)
    expect(result.stderr).toMatch(/^crawling: \d+ nodes known/m)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`crawled test-chain: ${NODES + 1} nodes \\(${NODES + 1} reachable\\)`))
    const crawl = JSON.parse(await readFile(join(out(), 'nodes.json'), 'utf8')) as CrawlResult
    expect(crawl).toMatchObject({ chainId: 'test-chain', end: 'done', maxNodesReached: false, seeds: [seed.netAddress().toString()] })
    const everyone = [seed, ...nodes]
    expect(crawl.nodes.map((n) => n.id).sort()).toEqual(everyone.map((n) => n.id).sort())
    for (const node of everyone) {
      const entry = crawl.nodes.find((n) => n.id === node.id)!
      expect(entry.reachable).toBe(true)
      expect(entry.addresses).toContain(`127.0.0.1:${node.netAddress().port}`)
      expect(entry.nodeInfo).toMatchObject({
        network: 'test-chain',
        moniker: node.config.moniker,
        protocolVersion: { p2p: 8, block: 11, app: 0 },
        channels: ['0x00'],
        listenAddr: `tcp://127.0.0.1:${node.netAddress().port}`,
        txIndex: 'off'
      })
      expect(entry.seed).toBe(node === seed)
      if (node !== seed) expect(entry.sources).toContain(seed.id)
    }
    const html = await readFile(join(out(), 'report.html'), 'utf8')
    for (const node of everyone) expect(html).toContain(`data-node-id="${node.id}"`)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
  }, 40_000)

  it('report.html shows every node of nodes.json in a browser (file://)', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does) to run the browser test`)
    }
    const crawl = JSON.parse(await readFile(join(out(), 'nodes.json'), 'utf8')) as CrawlResult
    // chromium.launch starts with a fresh temporary profile (user-data-dir) each time.
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    })
    try {
      const page = await browser.newPage()
      const errors: string[] = []
      const requests: string[] = []
      page.on('pageerror', (err) => errors.push(err.message))
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text())
      })
      page.on('request', (request) => requests.push(request.url()))
      const url = pathToFileURL(join(out(), 'report.html')).href
      page.setDefaultTimeout(5_000)
      await page.goto(url)
      const ids = await page.locator('svg#graph [data-node-id]').evaluateAll((elements) => elements.map((e) => e.getAttribute('data-node-id')))
      expect(ids.length).toBe(crawl.nodes.length)
      expect([...ids].sort()).toEqual(crawl.nodes.map((n) => n.id).sort())
      // Every node is drawn inside the picture.
      const boxes = await page.locator('svg#graph .node circle').evaluateAll((elements) =>
        elements.map((e) => {
          const r = e.getBoundingClientRect()
          return r.width > 0 && r.height > 0
        })
      )
      expect(boxes.every(Boolean)).toBe(true)
      // Clicking a node shows its details.
      await page.locator(`svg#graph [data-node-id="${seed.id}"]`).dispatchEvent('click')
      await expect.poll(() => page.locator('#details').textContent()).toContain(seed.id)
      expect(errors).toEqual([])
      expect(requests.filter((r) => r !== url)).toEqual([])
    } finally {
      await browser.close()
    }
  }, 30_000)
})
