import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createNode, type P2PNode } from '@comet-p2p/node'
import { afterEach, describe, expect, it } from 'vitest'

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A started node that knows only the seed; `onPeer` hears of every peer from the start. */
async function node(moniker: string, seed: string, onPeer: (id: string) => void = () => undefined): Promise<P2PNode> {
  const n = createNode({
    chainId: 'seed-test',
    moniker,
    p2p: { laddr: 'tcp://127.0.0.1:0', seeds: [seed], addrBookStrict: false, allowDuplicateIp: true },
    pex: { ensurePeersPeriodMs: 300 }
  })
  cleanups.push(() => n.stop())
  n.on('peer:added', (peer) => onPeer(peer.id))
  await n.start()
  return n
}

describe('seed-node example', () => {
  it('two nodes that know only the seed find each other through it', async () => {
    const home = await mkdtemp(join(tmpdir(), 'seed-home-'))
    cleanups.push(() => rm(home, { recursive: true, force: true }))
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', '--', '--chain-id', 'seed-test', '--home', home, '--laddr', 'tcp://127.0.0.1:0', '--private', '--log_level', 'none'],
      { cwd: exampleDir }
    )
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
    cleanups.push(() => void child.kill('SIGKILL'))
    await until(() => /seed \S+ running/.test(out), `the seed to start:\n${out}`)
    const seedAddress = /seed (\S+) running/.exec(out)![1]!

    const seedId = seedAddress.split('@')[0]
    let aliceMetSeed = false
    const alice = await node('alice', seedAddress, (id) => (aliceMetSeed ||= id === seedId))
    // The seed records Alice's address when she connects to it.
    await until(() => aliceMetSeed, 'alice to reach the seed')
    const bob = await node('bob', seedAddress)
    await until(
      () => alice.peers().some((p) => p.id === bob.id) || bob.peers().some((p) => p.id === alice.id),
      'alice and bob to meet through the seed'
    )

    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(out).toMatch(/stopped; [1-9]\d* addresses kept in the address book/)
  })
})
