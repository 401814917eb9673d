import { setTimeout as delay } from 'node:timers/promises'
import { AddrBook } from '@comet-p2p/addrbook'
import { BaseReactor, Switch, type ChannelDescriptor, type Peer, type SwitchConfigInput } from '@comet-p2p/switch'
import { NodeKey, type Logger, type NetAddress } from '@comet-p2p/types'
import { PexReactor, type PexReactorOptions } from '../src/index.js'

/** Short periods so that a loopback network converges in seconds. */
export const FAST_PEX: Partial<PexReactorOptions> = {
  ensurePeersPeriodMs: 300,
  crawlPeerPeriodMs: 300,
  minTimeBetweenCrawlsMs: 1_000,
  dialBackoffUnitMs: 50,
  dialJitterMs: 50,
  seedDisconnectWaitPeriodMs: 10 * 60_000
}

/** Everything on 127.0.0.1: duplicate IPs allowed, quick timers. */
export const FAST_SWITCH: SwitchConfigInput = {
  allowDuplicateIp: true,
  maxNumOutboundPeers: 4,
  maxNumInboundPeers: 60,
  handshakeTimeoutMs: 5_000,
  dialTimeoutMs: 2_000,
  flushThrottleTimeoutMs: 10,
  dialRandomizerIntervalMs: 0,
  mconnection: { stopTimeoutMs: 500 }
}

export interface TestNode {
  name: string
  key: NodeKey
  sw: Switch
  pex: PexReactor
  book: AddrBook
  addr: NetAddress
}

export interface NodeSpec {
  name: string
  seeds?: readonly string[]
  seedMode?: boolean
  key?: NodeKey
  bookFile?: string
  pex?: Partial<PexReactorOptions>
  switchConfig?: SwitchConfigInput
  logger?: Logger
}

/** A switch with an address book and a PEX reactor, listening on 127.0.0.1:0 and started. */
export async function startNode(spec: NodeSpec): Promise<TestNode> {
  const key = spec.key ?? NodeKey.generate()
  const book = new AddrBook({ routabilityStrict: false, filePath: spec.bookFile })
  const sw = new Switch({
    nodeKey: key,
    nodeInfo: nodeInfoBase(spec.name),
    config: { ...FAST_SWITCH, ...spec.switchConfig },
    addrBook: book,
    logger: spec.logger
  })
  const pex = sw.addReactor(
    'PEX',
    new PexReactor({ book, seeds: spec.seeds, seedMode: spec.seedMode, ...FAST_PEX, ...spec.pex })
  )
  const addr = await sw.transport.listen({ host: '127.0.0.1', port: 0 })
  book.addOurAddress(addr)
  await sw.start()
  return { name: spec.name, key, sw, pex, book, addr }
}

export function nodeInfoBase(moniker: string): ConstructorParameters<typeof Switch>[0]['nodeInfo'] {
  return {
    protocolVersion: { p2p: 8, block: 11, app: 0 },
    listenAddr: '',
    network: 'pex-test',
    version: '0.34.27',
    moniker,
    other: { txIndex: 'off', rpcAddress: '' }
  }
}

/** Polls `predicate` until it holds; throws with `describe()` after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`)
    await delay(25)
  }
}

/** Stops switches concurrently (each stops its PEX reactor, which saves its book). */
export async function stopAll(nodes: readonly TestNode[]): Promise<void> {
  await Promise.all(nodes.map((n) => n.sw.stop()))
}

/**
 * A misbehaving node's reactor on the PEX channel: on connecting it either
 * pushes an address list nobody asked for, or floods requests.
 */
export class LiarReactor extends BaseReactor {
  constructor(readonly mode: 'unsolicited' | 'flood', readonly payloads: { request: Uint8Array; addrs: Uint8Array }) {
    super('Liar')
  }

  override getChannels(): ChannelDescriptor[] {
    return [{ id: 0x00, priority: 1, sendQueueCapacity: 10, recvMessageCapacity: 64_000 }]
  }

  override async addPeer(peer: Peer): Promise<void> {
    if (this.mode === 'unsolicited') {
      await peer.send(0x00, this.payloads.addrs)
      return
    }
    for (let i = 0; i < 3; i++) await peer.send(0x00, this.payloads.request)
  }
}

/** A started switch running a {@link LiarReactor} instead of PEX. */
export async function startLiar(
  key: NodeKey,
  mode: 'unsolicited' | 'flood',
  payloads: { request: Uint8Array; addrs: Uint8Array }
): Promise<{ sw: Switch; addr: NetAddress }> {
  const sw = new Switch({ nodeKey: key, nodeInfo: nodeInfoBase(`liar-${mode}`), config: FAST_SWITCH })
  sw.addReactor('PEX', new LiarReactor(mode, payloads))
  const addr = await sw.transport.listen({ host: '127.0.0.1', port: 0 })
  await sw.start()
  return { sw, addr }
}
