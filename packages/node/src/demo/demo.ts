/**
 * `comet-p2p demo`: a seed and a few nodes on 127.0.0.1 in one process.
 * The nodes know only the seed; PEX lets them find each other, and a chat
 * reactor sends messages between peers. A table of peers and traffic is
 * redrawn in place on a terminal (plain snapshots elsewhere), and a summary
 * is printed once every node has stopped.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '@comet-p2p/types'
import type { OutputStream } from '../cli/context.js'
import { createNode } from '../node/create.js'
import type { P2PNode } from '../node/node.js'
import type { NodeOptions } from '../node/options.js'
import { DemoChatReactor } from './chat-reactor.js'
import { formatBytes, formatTable } from './table.js'
import { TrafficMeter } from './traffic.js'

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Where the table and summary go. */
  out: OutputStream
  /** Nodes besides the seed. Default 8. */
  nodes?: number | undefined
  /** How long the nodes run. Default 20000 ms. */
  durationMs?: number | undefined
  /** Node logs (default: none). */
  logger?: Logger | undefined
  /** Ends the demo early. */
  signal?: AbortSignal | undefined
}

/** What the demo did. */
export interface DemoSummary {
  nodes: number
  /** Distinct connected pairs when the nodes stopped. */
  connections: number
  /** The most distinct connected pairs seen at once. */
  maxConnections: number
  messagesSent: number
  messagesReceived: number
  /** Wire bytes sent, all nodes together. */
  bytesSent: number
  elapsedMs: number
}

interface DemoNode {
  name: string
  node: P2PNode
  chat: DemoChatReactor | undefined
  traffic: TrafficMeter
}

const CHAIN_ID = 'comet-p2p-demo'
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil']

/** Options shared by every demo node: 127.0.0.1, port 0, short PEX periods, one IP for all. */
function nodeOptions(name: string, traffic: TrafficMeter, logger: Logger | undefined): NodeOptions {
  return {
    chainId: CHAIN_ID,
    moniker: name,
    logger: logger?.child({ node: name }),
    metrics: traffic,
    p2p: { laddr: 'tcp://127.0.0.1:0', addrBookStrict: false, allowDuplicateIp: true, maxNumOutboundPeers: 3 },
    pex: {
      ensurePeersPeriodMs: 1_000,
      crawlPeerPeriodMs: 1_000,
      minTimeBetweenCrawlsMs: 2_000,
      seedFastDial: 'ensurePeers',
      requestAddrsAtTarget: true,
      dialBackoffUnitMs: 200,
      dialJitterMs: 200
    },
    switch: { dialRandomizerIntervalMs: 200, reconnectIntervalMs: 1_000 }
  }
}

function connections(nodes: readonly DemoNode[]): number {
  const pairs = new Set<string>()
  for (const { node } of nodes) {
    for (const peer of node.peers()) pairs.add([node.id, peer.id].sort().join('-'))
  }
  return pairs.size
}

function snapshot(nodes: readonly DemoNode[], elapsedMs: number, durationMs: number): string[] {
  const header = ['node', 'ID', 'address', 'peers out/in', 'known', 'chat sent', 'chat recv', 'wire out', 'wire in', 'last heard']
  const rows = nodes.map(({ name, node, chat, traffic }) => {
    const peers = node.peers()
    const out = peers.filter((p) => p.isOutbound).length
    const heard = chat?.lastHeard === undefined ? '' : `${chat.lastHeard.from}: ${chat.lastHeard.text}`
    return [
      name,
      node.id.slice(0, 8),
      node.state === 'running' ? `${node.netAddress().ip}:${node.netAddress().port}` : node.state,
      `${out}/${peers.length - out}`,
      String(node.addrBook.size()),
      chat === undefined ? '-' : String(chat.sent),
      chat === undefined ? '-' : String(chat.received),
      formatBytes(traffic.total('peer_send_bytes_total')),
      formatBytes(traffic.total('peer_receive_bytes_total')),
      heard.length > 40 ? `${heard.slice(0, 39)}…` : heard
    ]
  })
  const title = `comet-p2p demo · chain ${CHAIN_ID} · ${(elapsedMs / 1000).toFixed(1)} s of ${(durationMs / 1000).toFixed(0)} s · ${connections(nodes)} connections`
  return [title, '', ...formatTable(header, rows)]
}

/** Draws the table: in place on a terminal, as a plain snapshot every few seconds elsewhere. */
class Screen {
  readonly #out: OutputStream
  #lines = 0
  #lastPlain = -Infinity

  constructor(out: OutputStream) {
    this.#out = out
  }

  get isTTY(): boolean {
    return this.#out.isTTY === true
  }

  draw(lines: readonly string[], elapsedMs: number, force = false): void {
    if (this.isTTY) {
      const width = Math.max((this.#out.columns ?? 120) - 1, 40)
      const up = this.#lines > 0 ? `\x1b[${this.#lines}A` : ''
      this.#out.write(`${up}\x1b[J${lines.map((l) => l.slice(0, width)).join('\n')}\n`)
      this.#lines = lines.length
    } else if (force || elapsedMs - this.#lastPlain >= 5_000) {
      this.#lastPlain = elapsedMs
      this.#out.write(`${lines.join('\n')}\n\n`)
    }
  }
}

/** Runs the demo; resolves with the summary once every node has stopped. */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const count = options.nodes ?? 8
  const durationMs = options.durationMs ?? 20_000
  const screen = new Screen(options.out)
  const started = Date.now()
  const all: DemoNode[] = []
  let maxConnections = 0
  let endConnections = 0
  let chatTimer: ReturnType<typeof setInterval> | undefined
  let drawTimer: ReturnType<typeof setInterval> | undefined
  const signal = options.signal ?? new AbortController().signal
  if (screen.isTTY) options.out.write('\x1b[?25l')
  try {
    options.out.write(`Starting a seed and ${count} nodes on 127.0.0.1 for ${(durationMs / 1000).toFixed(0)} s; they know only the seed.\n\n`)
    const seedTraffic = new TrafficMeter()
    const seedOptions = nodeOptions('seed', seedTraffic, options.logger)
    const seed = createNode({ ...seedOptions, p2p: { ...seedOptions.p2p, seedMode: true, maxNumInboundPeers: 100 } })
    all.push({ name: 'seed', node: seed, chat: undefined, traffic: seedTraffic })
    await seed.start()
    const seedAddress = seed.netAddress().toString()
    const draw = (force = false): void => {
      maxConnections = Math.max(maxConnections, connections(all))
      screen.draw(snapshot(all, Date.now() - started, durationMs), Date.now() - started, force)
    }
    drawTimer = setInterval(() => draw(), screen.isTTY ? 500 : 1_000)
    let turn = 0
    chatTimer = setInterval(() => {
      const speakers = all.filter((n) => n.chat !== undefined)
      const speaker = speakers[turn % Math.max(speakers.length, 1)]
      turn++
      speaker?.chat?.say(`hello from ${speaker.name} #${Math.ceil(turn / speakers.length)}`)
    }, 250)
    for (let i = 0; i < count && !signal.aborted; i++) {
      const name = NAMES[i] ?? `node-${i + 1}`
      const traffic = new TrafficMeter()
      const chat = new DemoChatReactor()
      const base = nodeOptions(name, traffic, options.logger)
      const node = createNode({ ...base, p2p: { ...base.p2p, seeds: [seedAddress] }, reactors: { chat } })
      all.push({ name, node, chat, traffic })
      await node.start()
      // Staggered, so the table shows the network growing.
      await sleep(200, undefined, { signal }).catch(() => undefined)
    }
    const remaining = durationMs - (Date.now() - started)
    if (remaining > 0) await sleep(remaining, undefined, { signal }).catch(() => undefined)
    clearInterval(chatTimer)
    draw(true)
  } finally {
    clearInterval(chatTimer)
    clearInterval(drawTimer)
    endConnections = connections(all)
    maxConnections = Math.max(maxConnections, endConnections)
    await Promise.allSettled(all.map((n) => n.node.stop()))
    if (screen.isTTY) options.out.write('\x1b[?25h')
  }
  return {
    nodes: all.length,
    connections: endConnections,
    maxConnections,
    messagesSent: all.reduce((sum, n) => sum + (n.chat?.sent ?? 0), 0),
    messagesReceived: all.reduce((sum, n) => sum + (n.chat?.received ?? 0), 0),
    bytesSent: all.reduce((sum, n) => sum + n.traffic.total('peer_send_bytes_total'), 0),
    elapsedMs: Date.now() - started
  }
}

/** The summary as the demo prints it. */
export function formatSummary(s: DemoSummary): string {
  return [
    `Demo finished: ${s.nodes} nodes (a seed and ${s.nodes - 1} nodes), ${s.connections} connections at the end (${s.maxConnections} at most),`,
    `${s.messagesSent} chat messages sent and ${s.messagesReceived} received, ${formatBytes(s.bytesSent)} sent over the wire, in ${(s.elapsedMs / 1000).toFixed(1)} s.`,
    'Every node has stopped.'
  ].join('\n')
}
