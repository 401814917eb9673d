/*
 * Switch benchmarks (`pnpm bench`, after `pnpm build`):
 * - full upgrades per second (TCP connect + secret connection + NodeInfo
 *   exchange and checks) against a server in another process, one at a
 *   time and 16 at a time;
 * - resident memory per idle connected peer: a process dials 500 peers
 *   (switches in another process) and reports (RSS after - RSS before) / 500.
 * Environment: BENCH_RUNS (default 5), BENCH_UPGRADES (upgrades per run,
 * default 300), BENCH_PEERS (default 500).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { NetAddress, NodeKey } from '@comet-p2p/types'
import { TcpTransport } from '@comet-p2p/switch'
import { emitBenchResult } from '@comet-p2p/testing'
import { benchInfo, waitForLine } from './common.js'

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5)
const UPGRADES = Number(process.env['BENCH_UPGRADES'] ?? 300)
const PEERS = Number(process.env['BENCH_PEERS'] ?? 500)
const SUITE = 'switch'

function child(script: string, args: string[] = [], nodeFlags: string[] = []): ChildProcess {
  const path = fileURLToPath(new URL(script, import.meta.url))
  return spawn(process.execPath, [...nodeFlags, ...process.execArgv, path, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
}

function kill(proc: ChildProcess): void {
  if (proc.exitCode === null && proc.pid !== undefined) process.kill(proc.pid)
}

/** `count` upgrades spread over `workers` client transports (each dials one at a time); upgrades/s. */
async function upgradeRun(server: NetAddress, count: number, workers: number): Promise<number> {
  const clients = Array.from({ length: workers }, () => {
    const key = NodeKey.generate()
    return new TcpTransport({ nodeKey: key, nodeInfo: benchInfo(key) })
  })
  let remaining = count
  const started = performance.now()
  await Promise.all(
    clients.map(async (transport) => {
      while (remaining > 0) {
        remaining--
        const conn = await transport.dial(server)
        transport.cleanup(conn)
      }
    })
  )
  const seconds = (performance.now() - started) / 1000
  await Promise.all(clients.map((c) => c.close()))
  return count / seconds
}

async function benchUpgrades(): Promise<void> {
  const server = child('./server.ts')
  try {
    const [, port, id] = await waitForLine(server.stdout!, /^READY (\d+) ([0-9a-f]{40})$/)
    const addr = NetAddress.fromParts(id!, '127.0.0.1', Number(port))
    for (const workers of [1, 16]) {
      await upgradeRun(addr, Math.min(50, UPGRADES), workers) // warm-up
      const runs: number[] = []
      for (let i = 0; i < RUNS; i++) runs.push(Math.round(await upgradeRun(addr, UPGRADES, workers)))
      emitBenchResult({
        suite: SUITE,
        workload: workers === 1 ? 'upgrades-sequential' : 'upgrades-concurrent',
        params: { concurrency: workers, upgradesPerRun: UPGRADES, processes: 2, transport: 'tcp+secret-connection+nodeinfo' },
        unit: 'upgrades/s',
        runs
      })
    }
  } finally {
    kill(server)
  }
}

async function benchMemory(): Promise<void> {
  // One extra peer: the measuring process connects to it first, as a warm-up.
  const peers = child('./peers.ts', [String(PEERS + 1)])
  try {
    const addrs: string[] = []
    let buffered = ''
    await new Promise<void>((resolve, reject) => {
      peers.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString()
        const lines = buffered.split('\n')
        buffered = lines.pop() ?? ''
        for (const line of lines) {
          if (line.startsWith('PEER ')) addrs.push(line.slice(5))
          if (line === 'READY') resolve()
        }
      })
      peers.once('exit', (code) => reject(new Error(`peers exited (${code})`)))
    })
    const rss: number[] = []
    const heap: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const hub = child('./hub.ts', [], ['--expose-gc'])
      const exited = new Promise((resolve) => hub.once('exit', resolve))
      hub.stdin!.end(addrs.join('\n'))
      const [, json] = await waitForLine(hub.stdout!, /^RESULT (.*)$/)
      const result = JSON.parse(json!) as { rssKB: number; heapKB: number }
      rss.push(Math.round(result.rssKB * 10) / 10)
      heap.push(Math.round(result.heapKB * 10) / 10)
      await exited
    }
    const params = { peers: PEERS, state: 'idle', direction: 'outbound', processes: 2 }
    emitBenchResult({ suite: SUITE, workload: 'memory-per-peer-rss', params, unit: 'KB', runs: rss })
    emitBenchResult({ suite: SUITE, workload: 'memory-per-peer-heap', params, unit: 'KB', runs: heap })
  } finally {
    kill(peers)
  }
}

await benchUpgrades()
await benchMemory()
