import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BaseReactor, Switch, type ChannelDescriptor, type Envelope, type Peer } from '@comet-p2p/switch'
import { NodeKey, type NodeId } from '@comet-p2p/types'
import { afterEach, describe, expect, it } from 'vitest'
import { CONSENSUS_STATE_CHANNEL, MEMPOOL_CHANNEL, decodeNewRoundStep, encodeNewRoundStep, encodeTxsMessage } from '../src/messages.js'

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Consensus as a CometBFT node shows it to a peer: our height on connect, and the height the peer reports. */
class FakeConsensus extends BaseReactor {
  readonly heights = new Map<NodeId, number>()

  override getChannels(): ChannelDescriptor[] {
    return [{ id: CONSENSUS_STATE_CHANNEL, priority: 6, sendQueueCapacity: 100, recvMessageCapacity: 1_048_576 }]
  }

  override addPeer(peer: Peer): void {
    peer.trySend(CONSENSUS_STATE_CHANNEL, encodeNewRoundStep({ height: 100, round: 2, step: 3, secondsSinceStartTime: 4, lastCommitRound: 0 }))
  }

  override receive({ peer, message }: Envelope): void {
    const step = decodeNewRoundStep(message)
    if (step !== undefined) this.heights.set(peer.id, step.height)
  }
}

/** The mempool side: only declares channel 0x30; the test gossips through it. */
class FakeMempool extends BaseReactor {
  override getChannels(): ChannelDescriptor[] {
    return [{ id: MEMPOOL_CHANNEL, priority: 5, recvMessageCapacity: 1_048_584 }]
  }
}

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('mempool-watch', () => {
  it('prints the transactions a (fake) CometBFT peer gossips on 0x30', async () => {
    const consensus = new FakeConsensus()
    const fake = new Switch({
      nodeKey: NodeKey.generate(),
      nodeInfo: {
        protocolVersion: { p2p: 8, block: 11, app: 0 },
        listenAddr: '',
        network: 'mempool-test',
        version: '0.34.27',
        moniker: 'fake-cometbft',
        other: { txIndex: 'on', rpcAddress: 'tcp://127.0.0.1:26657' }
      },
      config: { allowDuplicateIp: true }
    })
    fake.addReactor('CONSENSUS', consensus)
    fake.addReactor('MEMPOOL', new FakeMempool())
    await fake.transport.listen({ host: '127.0.0.1', port: 0 })
    await fake.start()
    cleanups.push(() => fake.stop())

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', '--chain-id', 'mempool-test', '--persistent-peers', fake.netAddress()!.toString(), '--laddr', 'tcp://127.0.0.1:0', '--private'],
      { cwd: exampleDir }
    )
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
    cleanups.push(() => void child.kill('SIGKILL'))

    const watcher = await until(() => fake.peers().list()[0], `the watcher to connect:\n${out}`)
    expect(watcher.nodeInfo.channels).toContain(MEMPOOL_CHANNEL)
    // Like CometBFT, gossip only once the peer is at our height (minus one).
    await until(() => ((consensus.heights.get(watcher.id) ?? 0) >= 99 ? true : undefined), 'the watcher to report a height')
    const txs = [Buffer.from('transfer 10'), Buffer.from([0, 1, 2, 253, 254, 255]), Buffer.alloc(100, 7)]
    expect(await watcher.send(MEMPOOL_CHANNEL, encodeTxsMessage([txs[0]!]))).toBe(true)
    expect(await watcher.send(MEMPOOL_CHANNEL, encodeTxsMessage([txs[1]!, txs[2]!, txs[0]!]))).toBe(true)

    const line = (tx: Buffer): RegExp =>
      new RegExp(`^tx ${createHash('sha256').update(tx).digest('hex').toUpperCase()} ${tx.length} bytes from fake-cometbft: ${tx.subarray(0, 64).toString('hex')}`, 'm')
    await until(() => (txs.every((tx) => line(tx).test(out)) ? true : undefined), `every transaction to be printed:\n${out}`)
    expect(out.match(/^tx /gm)).toHaveLength(3) // the repeated one is printed once
    expect(out).toMatch(/^watching mempool-test as [0-9a-f]{40}@127\.0\.0\.1:\d+$/m)
    expect(out).toMatch(/^\* connected to fake-cometbft \([0-9a-f]{8}, 0\.34\.27\)$/m)

    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
