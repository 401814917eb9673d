/*
 * Address book benchmarks (`pnpm bench`, after `pnpm build`): addAddress,
 * pickAddress and the two selections on a full book (every new and old
 * bucket at capacity), save and load of that book, and the memory a fresh
 * process needs to hold it once loaded.
 * Environment: BENCH_RUNS (default 5).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { AddrBook, NEW_BUCKET_COUNT, NEW_BUCKET_SIZE, OLD_BUCKET_COUNT, OLD_BUCKET_SIZE } from '@comet-p2p/addrbook'
import { NetAddress } from '@comet-p2p/types'
import { emitBenchResult } from '@comet-p2p/testing'

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5)
const SUITE = 'addrbook'
const CAPACITY = NEW_BUCKET_COUNT * NEW_BUCKET_SIZE + OLD_BUCKET_COUNT * OLD_BUCKET_SIZE

const run = promisify(execFile)

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `count` distinct routable IPv4 addresses with random IDs, spread over many /16 groups. */
function addresses(count: number, seed: number): NetAddress[] {
  const random = rng(seed)
  const byte = (): number => Math.floor(random() * 256)
  const out: NetAddress[] = []
  for (let i = 0; i < count; i++) {
    const id = Array.from({ length: 20 }, () => byte().toString(16).padStart(2, '0')).join('')
    out.push(NetAddress.fromParts(id, `${20 + Math.floor(random() * 70)}.${byte()}.${byte()}.${1 + Math.floor(random() * 254)}`, 26656))
  }
  return out
}

const sources = addresses(2000, 2)

/** Brings every bucket of `book` to capacity: many more adds than slots, and enough addresses marked good. */
function fill(book: AddrBook, seed: number): AddrBook {
  const add = (pool: NetAddress[]): void => pool.forEach((addr, i) => book.addAddress(addr, sources[i % sources.length]))
  add(addresses(4 * CAPACITY, seed))
  let i = 0
  for (const info of book.listOfKnownAddresses()) if (i++ % 3 === 0) book.markGood(info.addr.id)
  // Promotions left room in the new buckets: fill them again.
  add(addresses(2 * CAPACITY, seed + 1000))
  return book
}

interface MemoryFigures {
  entries: number
  heapMB: number
  rssMB: number
  totalRssMB: number
}

/** Runs memory-child.ts (with this process's Node flags, so tsx applies) on `file`. */
async function memoryOfLoadedBook(file: string): Promise<MemoryFigures> {
  const script = fileURLToPath(new URL('./memory-child.ts', import.meta.url))
  const { stdout } = await run(process.execPath, [...process.execArgv, script, file])
  return JSON.parse(stdout) as MemoryFigures
}

function opsPerSecond(iterations: number, fn: (i: number) => void): number {
  const started = performance.now()
  for (let i = 0; i < iterations; i++) fn(i)
  return iterations / ((performance.now() - started) / 1000)
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'addrbook-bench-'))
  const file = join(dir, 'addrbook.json')
  const book = new AddrBook({ filePath: file, random: rng(1) })
  await book.start()
  fill(book, 1)
  await book.save()
  const { size, nNew, nOld } = book.stats()
  process.stderr.write(`full book: ${size} entries (${nNew} new, ${nOld} old) of ${CAPACITY} slots\n`)
  const params = { entries: size, nNew, nOld }

  const adds: number[] = []
  for (let r = 0; r < RUNS; r++) {
    const fresh = addresses(20_000, 100 + r)
    adds.push(opsPerSecond(fresh.length, (i) => book.addAddress(fresh[i], sources[i % sources.length])))
  }
  emitBenchResult({ suite: SUITE, workload: 'addAddress-full-book', params: { ...params, evicting: true }, unit: 'ops/s', runs: adds })

  const picks: number[] = []
  for (let r = 0; r < RUNS; r++) picks.push(opsPerSecond(200_000, (i) => book.pickAddress(i % 101)))
  emitBenchResult({ suite: SUITE, workload: 'pickAddress', params: { ...params, bias: '0..100' }, unit: 'ops/s', runs: picks })

  const selections: number[] = []
  for (let r = 0; r < RUNS; r++) selections.push(opsPerSecond(2_000, () => book.getSelection()))
  emitBenchResult({ suite: SUITE, workload: 'getSelection', params: { ...params, returned: book.getSelection().length }, unit: 'ops/s', runs: selections })

  const biased: number[] = []
  for (let r = 0; r < RUNS; r++) biased.push(opsPerSecond(500, () => book.getSelectionWithBias(30)))
  emitBenchResult({ suite: SUITE, workload: 'getSelectionWithBias', params: { ...params, bias: 30 }, unit: 'ops/s', runs: biased })

  const saves: number[] = []
  const loads: number[] = []
  for (let r = 0; r < RUNS; r++) {
    const started = performance.now()
    await book.save()
    saves.push(performance.now() - started)
  }
  for (let r = 0; r < RUNS; r++) {
    const started = performance.now()
    const loaded = new AddrBook({ filePath: file })
    await loaded.start()
    loads.push(performance.now() - started)
    if (loaded.size() !== book.size()) throw new Error(`loaded ${loaded.size()} of ${book.size()} entries`)
    await loaded.stop()
  }
  const fileParams = { entries: book.size(), fileKB: Math.round((await stat(file)).size / 1024) }
  emitBenchResult({ suite: SUITE, workload: 'save', params: fileParams, unit: 'ms', runs: saves })
  emitBenchResult({ suite: SUITE, workload: 'load', params: fileParams, unit: 'ms', runs: loads })

  // Memory: a fresh process loads the full book's file, as a node does at start-up.
  const heap: number[] = []
  const rss: number[] = []
  let totalRss = 0
  for (let r = 0; r < RUNS; r++) {
    const m = await memoryOfLoadedBook(file)
    heap.push(m.heapMB)
    rss.push(m.rssMB)
    totalRss = m.totalRssMB
  }
  emitBenchResult({ suite: SUITE, workload: 'memory-heap-loaded-full-book', params: { entries: book.size() }, unit: 'MB', runs: heap })
  emitBenchResult({ suite: SUITE, workload: 'memory-rss-loaded-full-book', params: { entries: book.size(), processRssMB: Math.round(totalRss) }, unit: 'MB', runs: rss })

  await book.stop()
  await rm(dir, { recursive: true, force: true })

}

await main()
