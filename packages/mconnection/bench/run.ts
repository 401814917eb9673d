/*
 * MConnection benchmarks (`pnpm bench`, after `pnpm build`): throughput of
 * one channel between two processes over TCP (plain, and inside a
 * SecretConnection when that package is built), 64-byte echo latency (back
 * to back, and sparse: 150 ms apart), and the packet codec against
 * protobufjs. Environment: BENCH_RUNS (default 5),
 * BENCH_SECONDS (seconds of sending per throughput run, default 1.5).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { MConnection } from '@comet-p2p/mconnection'
import { emitBenchResult, median, percentile } from '@comet-p2p/testing'
import { CHANNEL, connection, loadSecretConnection, transportOver } from './common.js'
import { runCodecBench } from './codec.js'

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5)
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 1.5)
const SUITE = 'mconnection'

interface Peer {
  port: number
  child: ChildProcess
}

/** Starts peer.ts in a child process (same Node flags, so tsx applies) and waits for its port. */
async function startPeer(mode: 'sink' | 'echo', secure: boolean, flushThrottleMs: number): Promise<Peer> {
  const script = fileURLToPath(new URL('./peer.ts', import.meta.url))
  const child = spawn(process.execPath, [...process.execArgv, script, mode, secure ? 'secret' : 'plain', String(flushThrottleMs)], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /PORT (\d+)/.exec(out)
      if (match !== null) resolve(Number(match[1]))
    })
    child.once('exit', (code) => reject(new Error(`peer exited early (${code})`)))
  })
  return { port, child }
}

function stopPeer(peer: Peer): void {
  if (peer.child.pid !== undefined) process.kill(peer.child.pid)
}

/** Connects to the peer and starts an MConnection; `onReceive` gets every message. */
async function open(peer: Peer, secure: boolean, flushThrottleMs: number, onReceive: (m: Uint8Array) => void): Promise<MConnection> {
  const socket = connect(peer.port, '127.0.0.1')
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  const stream = await transportOver(socket, secure)
  const conn = connection(stream, flushThrottleMs, (_ch, m) => onReceive(m))
  conn.start()
  return conn
}

/**
 * Sends `size`-byte messages for `seconds`, then an end marker; resolves
 * messages/s once the peer answered the marker with the number of messages
 * it received (checked).
 */
async function throughputRun(peer: Peer, secure: boolean, size: number, seconds: number): Promise<number> {
  let acked!: (count: number) => void
  const ack = new Promise<number>((resolve) => (acked = resolve))
  const conn = await open(peer, secure, 10, (m) => acked(Number(new TextDecoder().decode(m))))
  const message = new Uint8Array(size).fill(7)
  let sent = 0
  const started = performance.now()
  const until = started + seconds * 1000
  for (;;) {
    if (!conn.trySend(CHANNEL, message) && !(await conn.send(CHANNEL, message))) throw new Error('send failed')
    sent++
    if ((sent & 63) === 0 && performance.now() >= until) break
  }
  await conn.send(CHANNEL, new Uint8Array(0))
  const received = await ack
  const elapsed = (performance.now() - started) / 1000
  if (received !== sent) throw new Error(`the peer received ${received} messages of ${sent}`)
  await conn.stop()
  return sent / elapsed
}

async function benchThroughput(secure: boolean): Promise<void> {
  const peer = await startPeer('sink', secure, 10)
  try {
    for (const size of [256, 65_536]) {
      await throughputRun(peer, secure, size, 0.5) // warm-up
      const msgs: number[] = []
      for (let i = 0; i < RUNS; i++) msgs.push(await throughputRun(peer, secure, size, SECONDS))
      const params = { size, transport: secure ? 'secret-connection' : 'tcp', flushThrottleMs: 10, rates: 'unlimited', processes: 2 }
      emitBenchResult({ suite: SUITE, workload: 'throughput-msgs', params, unit: 'msgs/s', runs: msgs.map(Math.round) })
      emitBenchResult({ suite: SUITE, workload: 'throughput-bytes', params, unit: 'MB/s', runs: msgs.map((m) => round1((m * size) / 1e6)) })
    }
  } finally {
    stopPeer(peer)
  }
}

/**
 * Round-trip times (ms) of `count` sequential 64-byte echoes; with `gapMs`,
 * the client pauses that long between an echo and the next message.
 */
async function latencyRun(peer: Peer, secure: boolean, flushThrottleMs: number, count: number, gapMs = 0): Promise<number[]> {
  let next: (() => void) | undefined
  const conn = await open(peer, secure, flushThrottleMs, () => next?.())
  const message = new Uint8Array(64).fill(1)
  const rtts: number[] = []
  for (let i = 0; i < count; i++) {
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs))
    const echoed = new Promise<void>((resolve) => (next = resolve))
    const started = performance.now()
    await conn.send(CHANNEL, message)
    await echoed
    rtts.push(performance.now() - started)
  }
  await conn.stop()
  return rtts
}

/**
 * Echo latency: back to back (the next message leaves as soon as the echo
 * arrives), or sparse (`gapMs` of silence before each message, e.g. longer
 * than the flush throttle: traffic that is not a stream).
 */
async function benchLatency(secure: boolean, flushThrottleMs: number, count: number, gapMs = 0): Promise<void> {
  const peer = await startPeer('echo', secure, flushThrottleMs)
  try {
    await latencyRun(peer, secure, flushThrottleMs, Math.min(count, 5), gapMs) // warm-up
    const p50: number[] = []
    const p99: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const rtts = await latencyRun(peer, secure, flushThrottleMs, count, gapMs)
      p50.push(round2(median(rtts)))
      p99.push(round2(percentile(rtts, 99)))
    }
    const params = {
      size: 64,
      transport: secure ? 'secret-connection' : 'tcp',
      flushThrottleMs,
      echoesPerRun: count,
      ...(gapMs > 0 ? { gapMs } : {}),
      processes: 2
    }
    const prefix = gapMs > 0 ? 'echo-sparse-rtt' : 'echo-rtt'
    emitBenchResult({ suite: SUITE, workload: `${prefix}-p50`, params, unit: 'ms', runs: p50 })
    emitBenchResult({ suite: SUITE, workload: `${prefix}-p99`, params, unit: 'ms', runs: p99 })
  } finally {
    stopPeer(peer)
  }
}

async function secretConnectionAvailable(): Promise<boolean> {
  try {
    await loadSecretConnection()
    return true
  } catch (err) {
    process.stderr.write(`@comet-p2p/secret-connection is not built (${String(err)}): benchmarking plain TCP only\n`)
    return false
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10
}
function round2(x: number): number {
  return Math.round(x * 100) / 100
}

const only = process.argv[2]
const secret = await secretConnectionAvailable()
if (only === undefined || only === 'codec') runCodecBench(RUNS)
if (only === undefined || only === 'throughput') {
  await benchThroughput(false)
  if (secret) await benchThroughput(true)
}
if (only === undefined || only === 'latency') {
  await benchLatency(false, 1, 200)
  await benchLatency(false, 100, 10)
  if (secret) {
    await benchLatency(true, 1, 200)
    await benchLatency(true, 100, 10)
    // Messages 150 ms apart at the default throttle: what sparse traffic (votes, PEX) sees.
    await benchLatency(true, 100, 10, 150)
  }
}
