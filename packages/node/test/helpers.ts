import { setTimeout as sleep } from 'node:timers/promises'
import { BaseReactor, type ChannelDescriptor, type Envelope } from '@comet-p2p/switch'
import { createNode, type NodeOptions, type P2PNode } from '../src/index.js'

/** Polls `condition` every 10 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

export const CHAT = 0x77

/** A reactor that records what it hears on channel 0x77. */
export class ChatReactor extends BaseReactor {
  readonly heard: { from: string; text: string }[] = []

  override getChannels(): ChannelDescriptor[] {
    return [{ id: CHAT, priority: 1, sendQueueCapacity: 10 }]
  }

  override receive({ peer, message }: Envelope): void {
    this.heard.push({ from: peer.nodeInfo.moniker, text: new TextDecoder().decode(message) })
  }
}

/** Options of a node for loopback tests: 127.0.0.1 port 0, one IP for all, short periods. */
export function localOptions(moniker: string, extra: NodeOptions = {}): NodeOptions {
  return {
    chainId: 'test-chain',
    moniker,
    ...extra,
    p2p: { laddr: 'tcp://127.0.0.1:0', allowDuplicateIp: true, addrBookStrict: false, ...extra.p2p },
    pex: { ensurePeersPeriodMs: 300, crawlPeerPeriodMs: 300, dialBackoffUnitMs: 50, dialJitterMs: 50, ...extra.pex },
    switch: { dialRandomizerIntervalMs: 0, ...extra.switch }
  }
}

/** A started seed and `count` started nodes that know only the seed. Stop them with `stopAll`. */
export async function localNetwork(count: number, extra: NodeOptions = {}): Promise<{ seed: P2PNode; nodes: P2PNode[] }> {
  const seed = createNode(localOptions('seed', { ...extra, p2p: { ...extra.p2p, seedMode: true } }))
  await seed.start()
  const nodes: P2PNode[] = []
  for (let i = 0; i < count; i++) {
    const node = createNode(localOptions(`node${i + 1}`, { ...extra, p2p: { ...extra.p2p, seeds: [seed.netAddress().toString()] } }))
    nodes.push(node)
    await node.start()
  }
  return { seed, nodes }
}

export async function stopAll(nodes: readonly (P2PNode | undefined)[]): Promise<void> {
  await Promise.all(nodes.map(async (node) => node?.stop()))
}
