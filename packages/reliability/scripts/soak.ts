/**
 * Soak run (not in CI): a 20-node local network on 127.0.0.1 with churn —
 * nodes stopping and starting again, peers dropped — for SOAK_MINUTES
 * (default 10). Every SOAK_INTERVAL_S seconds (default 60) it prints one
 * JSON line with resident memory, heap, open descriptors, event-loop delay,
 * peers and traffic; at the end a table of all samples, so leaks show as
 * trends.
 *
 *   pnpm --filter @comet-p2p/reliability soak
 *   SOAK_MINUTES=3 SOAK_INTERVAL_S=30 pnpm --filter @comet-p2p/reliability soak
 */
import { readdirSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { NodeKey } from '@comet-p2p/types'
import { APP, startNode, type TestNode } from '../test/support/nodes.js'
import { refusedDials } from '../test/support/loopback-transport.js'

const MINUTES = Number(process.env['SOAK_MINUTES'] ?? 10)
const INTERVAL_S = Number(process.env['SOAK_INTERVAL_S'] ?? 60)
const NODES = Number(process.env['SOAK_NODES'] ?? 20)
const CHURN_S = Number(process.env['SOAK_CHURN_S'] ?? 5)
const MiB = 1024 * 1024

interface Slot {
  key: NodeKey
  port: number
  node: TestNode | undefined
}

const sent = { messages: 0 }
let delivered = 0
let restarts = 0
let drops = 0

function pexOptions(seedAddr: string | undefined): Parameters<typeof startNode>[0] {
  return {
    config: {
      maxNumInboundPeers: 8,
      maxNumOutboundPeers: 4,
      handshakeTimeoutMs: 3000,
      mconnection: { pingIntervalMs: 5000, pongTimeoutMs: 3000, stopTimeoutMs: 500, sendTimeoutMs: 1000, writeStallTimeoutMs: 10_000 }
    },
    pex: {
      seedMode: seedAddr === undefined,
      seeds: seedAddr === undefined ? [] : [seedAddr],
      ensurePeersPeriodMs: 2000,
      crawlPeerPeriodMs: 2000,
      seedDisconnectWaitPeriodMs: 10_000,
      dialBackoffUnitMs: 200,
      maxBackoffMs: 5000
    }
  }
}

async function launch(slot: Slot, seedAddr: string | undefined, i: number): Promise<void> {
  const node = await startNode({ ...pexOptions(seedAddr), nodeKey: slot.key, port: slot.port, moniker: `soak-${i}` })
  node.app.record = false
  node.app.onReceive = () => {
    delivered++
  }
  slot.port = node.addr.port
  slot.node = node
}

function fds(): number {
  return readdirSync('/proc/self/fd').length
}

const fmt = (n: number): string => n.toFixed(1)

async function main(): Promise<void> {
  const slots: Slot[] = Array.from({ length: NODES }, () => ({ key: NodeKey.generate(), port: 0, node: undefined }))
  const seed = slots[0]!
  await launch(seed, undefined, 0)
  const seedAddr = seed.node!.addr.toString()
  for (let i = 1; i < NODES; i++) await launch(slots[i]!, seedAddr, i)

  // Sampled every millisecond: a healthy loop shows about 1 ms.
  const delay = monitorEventLoopDelay({ resolution: 1 })
  delay.enable()
  const started = Date.now()
  const end = started + MINUTES * 60_000
  const samples: Record<string, number | string>[] = []
  let stopping = false

  // Application traffic: every node sends a small message to each peer every 500 ms.
  const traffic = (async () => {
    while (!stopping) {
      for (const slot of slots) {
        for (const peer of slot.node?.sw.peers().list() ?? []) if (peer.trySend(APP, new Uint8Array(200))) sent.messages++
      }
      await sleep(500)
    }
  })()

  // Churn: every CHURN_S seconds, in turn, restart a random node (not the seed) or drop a random peer.
  const churn = (async () => {
    for (let round = 0; !stopping; round++) {
      await sleep(CHURN_S * 1000)
      if (stopping) break
      const slot = slots[1 + Math.floor(Math.random() * (NODES - 1))]!
      if (round % 2 === 0 && slot.node !== undefined) {
        const node = slot.node
        slot.node = undefined
        await node.stop()
        await sleep(Math.random() * 2000)
        if (stopping) break
        await launch(slot, seedAddr, slots.indexOf(slot))
        restarts++
      } else {
        const peers = slot.node?.sw.peers().list() ?? []
        const victim = peers[Math.floor(Math.random() * peers.length)]
        if (victim !== undefined) {
          slot.node!.sw.stopPeerForError(victim, new Error('soak: dropped on purpose'))
          drops++
        }
      }
    }
  })()

  const sample = (): void => {
    const m = process.memoryUsage()
    const peers = slots.reduce((n, s) => n + (s.node?.sw.peers().size ?? 0), 0)
    const row = {
      t_s: Math.round((Date.now() - started) / 1000),
      rss_mib: Number(fmt(m.rss / MiB)),
      heap_mib: Number(fmt(m.heapUsed / MiB)),
      external_mib: Number(fmt((m.external + m.arrayBuffers) / MiB)),
      fds: fds(),
      loop_p50_ms: Number(fmt(delay.percentile(50) / 1e6)),
      loop_p99_ms: Number(fmt(delay.percentile(99) / 1e6)),
      loop_max_ms: Number(fmt(delay.max / 1e6)),
      nodes_up: slots.filter((s) => s.node !== undefined).length,
      peers,
      sent: sent.messages,
      delivered,
      restarts,
      drops
    }
    delay.reset()
    samples.push(row)
    console.log(JSON.stringify(row))
  }

  sample()
  while (Date.now() < end) {
    await sleep(Math.min(INTERVAL_S * 1000, end - Date.now()))
    sample()
  }
  stopping = true
  await Promise.all([traffic, churn])
  await Promise.all(slots.map((s) => s.node?.stop() ?? Promise.resolve()))
  delay.disable()

  const columns = Object.keys(samples[0]!)
  const widths = columns.map((c) => Math.max(c.length, ...samples.map((r) => String(r[c]).length)))
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ')
  console.log('')
  console.log(line(columns))
  for (const row of samples) console.log(line(columns.map((c) => String(row[c]))))
  console.log(`\nnon-loopback dials refused: ${refusedDials.length}; descriptors after stopping every node: ${fds()}`)
}

await main()
