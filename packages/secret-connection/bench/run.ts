// Secret connection benchmarks (run `pnpm build` first: this measures the
// built package through its public name). For each available backend:
//   1. seal+open ceiling of 1028-byte frames in one process,
//   2. one-way throughput over loopback TCP to a second process, 1 MiB writes
//      for 5 s (the reference's workload),
//   3. full handshakes per second (TCP connect included) to a second
//      process, sequential and 8 concurrent.
// Every figure is at least 5 runs. SC_BENCH_SCALE=3 makes each run 3x longer.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { connect } from 'node:net'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import type { NodeIdentity } from '@comet-p2p/types'
import { emitBenchResult } from '@comet-p2p/testing'
import {
  FrameOpener,
  FrameSealer,
  SEALED_FRAME_SIZE,
  availableBackends,
  getBackend,
  makeSecretConnection,
  type BackendName
} from '@comet-p2p/secret-connection'
import { makeIdentity, type IdentityKind } from './identity.js'

const SUITE = 'secret-connection'
const RUNS = 5
const SCALE = Math.max(0.1, Number(process.env['SC_BENCH_SCALE'] ?? '1'))
const SEAL_SECONDS = 0.3 * SCALE
const THROUGHPUT_SECONDS = 5 * SCALE
const HANDSHAKE_SECONDS = 1 * SCALE
const MiB = 1024 * 1024

function sealOpenRun(name: BackendName): number {
  const backend = getBackend(name)!
  const key = randomBytes(32)
  const sealer = new FrameSealer(backend.createCipher(key))
  const opener = new FrameOpener(backend.createCipher(key))
  const batch = 64
  const payload = randomBytes(batch * 1024)
  const wire = new Uint8Array(batch * SEALED_FRAME_SIZE)
  let bytes = 0
  const start = performance.now()
  let elapsed = 0
  while (elapsed < SEAL_SECONDS * 1000) {
    sealer.sealInto(payload, 0, payload.length, wire, 0)
    opener.openAll(wire, () => undefined)
    bytes += payload.length
    elapsed = performance.now() - start
  }
  return bytes / 1e6 / (elapsed / 1000)
}

interface Peer {
  child: ChildProcess
  port: number
  next(): Promise<{ type: string; bytes: number; seconds: number }>
}

async function startPeer(mode: 'sink' | 'handshake', backend: BackendName, identity: IdentityKind): Promise<Peer> {
  const script = fileURLToPath(new URL('./peer.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', script, mode, backend, identity], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  const queue: { type: string; port?: number; bytes: number; seconds: number }[] = []
  const waiters: ((m: (typeof queue)[number]) => void)[] = []
  child.on('message', (m: (typeof queue)[number]) => {
    const waiter = waiters.shift()
    if (waiter !== undefined) waiter(m)
    else queue.push(m)
  })
  const next = (): Promise<(typeof queue)[number]> =>
    queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiters.push(resolve))
  const ready = await next()
  return { child, port: ready.port!, next }
}

async function stopPeer(peer: Peer): Promise<void> {
  const exited = once(peer.child, 'exit')
  peer.child.disconnect()
  await exited
}

const identities: Record<IdentityKind, NodeIdentity> = {
  NodeKey: makeIdentity('NodeKey'),
  'node-crypto': makeIdentity('node-crypto')
}

/** Dials the peer with TCP_NODELAY, as Go sockets have by default. */
async function dial(port: number, backend: BackendName, identity: IdentityKind = 'NodeKey') {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true })
  await once(socket, 'connect')
  return makeSecretConnection(socket, identities[identity], { backend })
}

async function throughputRun(peer: Peer, backend: BackendName): Promise<number> {
  const conn = await dial(peer.port, backend)
  const chunk = randomBytes(MiB)
  const deadline = performance.now() + THROUGHPUT_SECONDS * 1000
  while (performance.now() < deadline) {
    if (!conn.write(chunk)) await once(conn, 'drain')
  }
  conn.end()
  const result = await peer.next()
  conn.destroy()
  return result.bytes / 1e6 / result.seconds
}

async function handshakeRun(
  peer: Peer,
  backend: BackendName,
  concurrency: number,
  identity: IdentityKind
): Promise<number> {
  let count = 0
  const start = performance.now()
  const deadline = start + HANDSHAKE_SECONDS * 1000
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const conn = await dial(peer.port, backend, identity)
      conn.destroy()
      count++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return count / ((performance.now() - start) / 1000)
}

async function main(): Promise<void> {
  const only = process.env['SC_BENCH_ONLY']
  const backends = availableBackends().filter((b) => only === undefined || only === '' || b === only)
  process.stderr.write(`backends: ${backends.join(', ')}; scale ${SCALE}\n`)
  for (const backend of backends) {
    const seal: number[] = []
    for (let i = 0; i < RUNS; i++) seal.push(sealOpenRun(backend))
    emitBenchResult({ suite: SUITE, workload: 'seal-open-ceiling', params: { backend, frame: 1028 }, unit: 'MB/s', runs: seal })
  }
  for (const backend of backends) {
    const sink = await startPeer('sink', backend, 'NodeKey')
    await throughputRun(sink, backend) // warm-up
    const runs: number[] = []
    for (let i = 0; i < RUNS; i++) runs.push(await throughputRun(sink, backend))
    await stopPeer(sink)
    emitBenchResult({
      suite: SUITE,
      workload: 'throughput-one-way-tcp',
      params: { backend, write: '1MiB', seconds: THROUGHPUT_SECONDS, processes: 2 },
      unit: 'MB/s',
      runs
    })
  }
  // Handshakes: every backend with NodeKey identities, plus the default
  // backend with node:crypto signers to separate protocol cost from signing.
  const variants: [BackendName, IdentityKind][] = backends.map((b) => [b, 'NodeKey'])
  if (backends[0] !== undefined) variants.push([backends[0], 'node-crypto'])
  for (const [backend, identity] of variants) {
    const peer = await startPeer('handshake', backend, identity)
    await handshakeRun(peer, backend, 1, identity) // warm-up
    for (const concurrency of [1, 8]) {
      const runs: number[] = []
      for (let i = 0; i < RUNS; i++) runs.push(await handshakeRun(peer, backend, concurrency, identity))
      emitBenchResult({
        suite: SUITE,
        workload: concurrency === 1 ? 'handshakes-sequential' : 'handshakes-concurrent',
        params: { backend, identity, concurrency, processes: 2 },
        unit: 'ops/s',
        runs
      })
    }
    await stopPeer(peer)
  }
}

await main()
