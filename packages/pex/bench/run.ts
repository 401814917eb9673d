/*
 * PEX benchmark / simulation (`pnpm bench`, after `pnpm build`): one seed
 * and BENCH_NODES regular nodes (default 50) on 127.0.0.1, in this process,
 * with real switches, TCP, secret connections and address books. The
 * regular nodes know only the seed. Measured per run, from the moment the
 * nodes start: the time until every node has BENCH_TARGET outbound peers
 * (default 10, the reference maxNumOutboundPeers), and the PEX messages and
 * dials it took (counted when the last node reaches the target, or at the
 * deadline BENCH_DEADLINE_MS, default 30 s). Each fast-dial mode is run
 * BENCH_RUNS times (default 3); BENCH_MODES picks the modes (default
 * `all,ensurePeers`).
 */
import { setTimeout as delay } from 'node:timers/promises'
import { AddrBook } from '@comet-p2p/addrbook'
import { Switch } from '@comet-p2p/switch'
import { emitBenchResult, percentile } from '@comet-p2p/testing'
import { NodeKey, type NetAddress } from '@comet-p2p/types'
import type * as PexModule from '../src/index.js'

// The built package, loaded by name at run time (typechecking works before a build).
const PEX_PACKAGE = '@comet-p2p/pex'
const { PexReactor } = (await import(PEX_PACKAGE)) as typeof PexModule

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3)
const NODES = Number(process.env['BENCH_NODES'] ?? 50)
const TARGET = Number(process.env['BENCH_TARGET'] ?? 10)
const DEADLINE_MS = Number(process.env['BENCH_DEADLINE_MS'] ?? 30_000)
const SUITE = 'pex'

const PERIODS = {
  ensurePeersPeriodMs: 500,
  crawlPeerPeriodMs: 500,
  minTimeBetweenCrawlsMs: 2_000,
  dialBackoffUnitMs: 100,
  dialJitterMs: 100
} as const

interface Node {
  sw: Switch
  pex: InstanceType<typeof PexReactor>
  addr: NetAddress
}

async function startNode(name: string, pex: Partial<PexModule.PexReactorOptions>): Promise<Node> {
  const book = new AddrBook({ routabilityStrict: false })
  const sw = new Switch({
    nodeKey: NodeKey.generate(),
    nodeInfo: {
      protocolVersion: { p2p: 8, block: 11, app: 0 },
      listenAddr: '',
      network: 'pex-bench',
      version: '0.34.27',
      moniker: name,
      other: { txIndex: 'off', rpcAddress: '' }
    },
    addrBook: book,
    config: {
      allowDuplicateIp: true,
      maxNumOutboundPeers: TARGET,
      dialRandomizerIntervalMs: 0,
      flushThrottleTimeoutMs: 10,
      mconnection: { stopTimeoutMs: 500 }
    }
  })
  const reactor = sw.addReactor('PEX', new PexReactor({ book, ...PERIODS, seedDisconnectWaitPeriodMs: 3_600_000, ...pex }))
  const addr = await sw.transport.listen({ host: '127.0.0.1', port: 0 })
  book.addOurAddress(addr)
  await sw.start()
  return { sw, pex: reactor, addr }
}

interface RunResult {
  converged: boolean
  /** When the last node reached the target (the deadline if one never did). */
  ms: number
  /** When 90% of the nodes had reached it. */
  p90Ms: number
  messages: number
  dials: number
  connections: number
}

async function run(mode: PexModule.SeedFastDial): Promise<RunResult> {
  const seed = await startNode('seed', { seedMode: true })
  const started = performance.now()
  const nodes = await Promise.all(
    Array.from({ length: NODES }, (_, i) => startNode(`node-${i}`, { seeds: [seed.addr.toString()], seedFastDial: mode }))
  )
  const all = [seed, ...nodes]
  const reachedAt = new Map<Node, number>()
  while (reachedAt.size < nodes.length && performance.now() - started < DEADLINE_MS) {
    const now = performance.now() - started
    for (const n of nodes) if (!reachedAt.has(n) && n.sw.numPeers().outbound >= TARGET) reachedAt.set(n, now)
    await delay(10)
  }
  const converged = reachedAt.size === nodes.length
  const times = nodes.map((n) => reachedAt.get(n) ?? DEADLINE_MS)
  const ms = Math.max(...times)
  const p90Ms = percentile(times, 90)
  const stats = all.map((n) => n.pex.stats())
  const messages = stats.reduce((sum, s) => sum + s.requestsSent + s.addrsMessagesSent, 0)
  const dials = stats.reduce((sum, s) => sum + s.dials, 0)
  const connections = nodes.reduce((sum, n) => sum + n.sw.numPeers().outbound, 0)
  if (!converged) {
    const behind = nodes
      .filter((n) => n.sw.numPeers().outbound < TARGET)
      .map((n) => `${n.sw.numPeers().outbound} out + ${n.sw.numPeers().inbound} in, ${n.pex.book.size()} known`)
    process.stderr.write(`  ${mode}: ${behind.length} nodes below target after ${DEADLINE_MS} ms (${behind.join('; ')})\n`)
  }
  await Promise.all(all.map((n) => n.sw.stop()))
  return { converged, ms, p90Ms, messages, dials, connections }
}

const MODES = (process.env['BENCH_MODES'] ?? 'all,ensurePeers').split(',') as PexModule.SeedFastDial[]

for (const mode of MODES) {
  const results: RunResult[] = []
  for (let i = 0; i < RUNS; i++) {
    const r = await run(mode)
    process.stderr.write(
      `  ${mode} run ${i + 1}: ${r.converged ? 'converged' : 'NOT converged'} in ${r.ms.toFixed(0)} ms (90% of nodes: ${r.p90Ms.toFixed(0)} ms), ${r.messages} PEX messages, ${r.dials} dials, ${r.connections} outbound connections\n`
    )
    results.push(r)
  }
  const params = {
    nodes: NODES,
    seeds: 1,
    maxNumOutboundPeers: TARGET,
    seedFastDial: mode,
    ...PERIODS,
    converged: `${results.filter((r) => r.converged).length}/${results.length}`
  }
  emitBenchResult({ suite: SUITE, workload: `converge-time-${mode}`, params, unit: 'ms', runs: results.map((r) => r.ms) })
  emitBenchResult({ suite: SUITE, workload: `converge-time-p90-${mode}`, params, unit: 'ms', runs: results.map((r) => r.p90Ms) })
  emitBenchResult({ suite: SUITE, workload: `converge-messages-${mode}`, params, unit: 'messages', runs: results.map((r) => r.messages) })
  emitBenchResult({ suite: SUITE, workload: `converge-dials-${mode}`, params, unit: 'dials', runs: results.map((r) => r.dials) })
  emitBenchResult({
    suite: SUITE,
    workload: `converge-outbound-connections-${mode}`,
    params,
    unit: 'connections',
    runs: results.map((r) => r.connections)
  })
}
