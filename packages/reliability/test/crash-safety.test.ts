/**
 * Crash safety at node level: a process running Switch + AddrBook + PEX,
 * saving its book every 20 ms and in a loop while PEX feeds it, is
 * SIGKILLed again and again. After every kill the file must load and hold
 * no fewer entries than the last save the process reported complete.
 */
import { spawn } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AddrBook } from '@comet-p2p/addrbook'
import { PEX_CHANNEL } from '@comet-p2p/pex'
import { BaseReactor, type ChannelDescriptor, type Envelope } from '@comet-p2p/switch'
import { NodeKey, encodePexMessage } from '@comet-p2p/types'
import { startNode, type TestNode } from './support/nodes.js'

const KILLS = Number(process.env['CRASH_KILLS'] ?? 10)
const switchFixture = fileURLToPath(new URL('./fixtures/pex-node.mjs', import.meta.url))
const nodeFixture = fileURLToPath(new URL('./fixtures/comet-node.mjs', import.meta.url))

/** Answers every PEX request with 50 fresh loopback addresses (ports nothing listens on). */
class FeederReactor extends BaseReactor {
  requests = 0
  constructor() {
    super('Feeder')
  }

  override getChannels(): ChannelDescriptor[] {
    return [{ id: PEX_CHANNEL, priority: 1, sendQueueCapacity: 10, recvMessageCapacity: 64_000 }]
  }

  override receive({ peer }: Envelope): void {
    this.requests++
    const addrs = Array.from({ length: 50 }, () => ({
      id: NodeKey.generate().id,
      ip: `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`,
      port: 20000 + Math.floor(Math.random() * 40000)
    }))
    peer.trySend(PEX_CHANNEL, encodePexMessage({ type: 'pex_addrs', addrs }))
  }
}

let feeder: TestNode
let feederReactor: FeederReactor
let dir: string
let checkDir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reliability-crash-'))
  checkDir = await mkdtemp(join(tmpdir(), 'reliability-crash-check-'))
  feeder = await startNode({ moniker: 'feeder', noStart: true })
  feederReactor = feeder.sw.addReactor('feeder', new FeederReactor())
  await feeder.sw.start()
})

afterAll(async () => {
  await feeder.stop()
  await rm(dir, { recursive: true, force: true })
  await rm(checkDir, { recursive: true, force: true })
})

/** Starts the node process, lets it report `saves` completed saves, waits `delayMs`, SIGKILLs it; returns the sizes it reported. */
async function runAndKill(fixture: string, target: string, saves: number, delayMs: number): Promise<{ ready: number; saved: number[] }> {
  const proc = spawn(process.execPath, [fixture, target, feeder.addr.toString()], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.once('exit', (_code, signal) => resolve(signal)))
  let stderr = ''
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const saved: number[] = []
  let ready = -1
  const lines = createInterface({ input: proc.stdout })
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      const [word, value] = line.split(' ')
      if (word === 'ready') ready = Number(value)
      if (word === 'saved') saved.push(Number(value))
      if (ready >= 0 && saved.length >= saves) resolve()
    })
    void exited.then(() => reject(new Error(`the node exited early: ${stderr}`)))
  })
  if (delayMs > 0) await sleep(delayMs)
  proc.kill('SIGKILL')
  expect(await exited).toBe('SIGKILL')
  lines.close()
  return { ready, saved }
}

/** Kills the process KILLS times; after each kill the book file must load and hold at least the last completed save. */
async function killRepeatedly(fixture: string, target: string, file: string, label: string): Promise<void> {
  const fileDir = dirname(file)
  let lastSaved = 0
  let midWrite = 0
  const sizes: number[] = []
  for (let k = 0; k < KILLS; k++) {
    const { ready, saved } = await runAndKill(fixture, target, 1 + (k % 5) * 3, (k * 7) % 23)
    // What the restarted process loaded is what the previous run last saved, or more.
    expect(ready).toBeGreaterThanOrEqual(lastSaved)
    lastSaved = Math.max(lastSaved, ...saved)
    const temps = (await readdir(fileDir)).filter((n) => n.startsWith('addrbook.json.tmp-'))
    expect(temps.length).toBeLessThanOrEqual(2) // at most the saves in flight
    if (temps.length > 0) midWrite++
    // Checked on a copy: the checking book's own saves must not touch the node's file.
    const copy = join(checkDir, 'addrbook.json')
    await copyFile(file, copy)
    const book = new AddrBook({ filePath: copy, routabilityStrict: false })
    await book.start() // throws AddrBookFileCorruptError on a torn file
    expect(book.size()).toBeGreaterThanOrEqual(lastSaved)
    sizes.push(book.size())
    await book.stop()
  }
  expect(lastSaved).toBeGreaterThan(0)
  console.log(`[figure] crash safety (${label}): ${KILLS} SIGKILLs, ${midWrite} with a save in flight, book sizes after each kill ${sizes.join(',')}`)
}

describe('kill -9 of a node while it saves its address book', () => {
  it(`Switch + AddrBook + PEX process: the book always loads and never falls behind the last completed save (${KILLS} kills)`, async () => {
    const before = feederReactor.requests
    await killRepeatedly(switchFixture, join(dir, 'addrbook.json'), join(dir, 'addrbook.json'), 'switch + addrbook + pex')
    expect(feederReactor.requests).toBeGreaterThan(before)
  }, 120_000)

  it(`createNode process (@comet-p2p/node): the same (${KILLS} kills)`, async () => {
    const home = join(dir, 'home')
    await mkdir(join(home, 'config'), { recursive: true })
    await killRepeatedly(nodeFixture, home, join(home, 'config', 'addrbook.json'), 'createNode')
  }, 120_000)
})
