import { connect, type Socket } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import { NodeKey, type NodeInfo } from '@comet-p2p/types'
import {
  BaseReactor,
  Switch,
  TcpTransport,
  type ChannelDescriptor,
  type Envelope,
  type Peer,
  type SwitchOptions,
  type TcpTransportOptions
} from '../src/index.js'

export const NETWORK = 'test-chain'

/** A complete NodeInfo for `key` (channels 0x77 by default). */
export function nodeInfoFor(key: NodeKey, overrides: Partial<NodeInfo> = {}): NodeInfo {
  return {
    protocolVersion: { p2p: 8, block: 11, app: 0 },
    id: key.id,
    listenAddr: '127.0.0.1:26656',
    network: NETWORK,
    version: '0.34.27',
    channels: Uint8Array.of(0x77),
    moniker: `node-${key.id.slice(0, 6)}`,
    other: { txIndex: 'off', rpcAddress: '' },
    ...overrides
  }
}

/** A transport with its own key and NodeInfo, listening on 127.0.0.1 port 0. */
export async function listeningTransport(
  options: Partial<TcpTransportOptions> = {},
  infoOverrides: Partial<NodeInfo> = {}
): Promise<{ transport: TcpTransport; key: NodeKey; info: NodeInfo }> {
  const key = (options.nodeKey as NodeKey | undefined) ?? NodeKey.generate()
  const info = nodeInfoFor(key, infoOverrides)
  const transport = new TcpTransport({ handshakeTimeoutMs: 5000, ...options, nodeKey: key, nodeInfo: info })
  const addr = await transport.listen({ host: '127.0.0.1', port: 0 })
  transport.setNodeInfo({ ...info, listenAddr: addr.dialString() })
  return { transport, key, info: { ...info, listenAddr: addr.dialString() } }
}

/** Polls `predicate` every few ms until it holds; throws after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await delay(5)
  }
}

/** A reactor that records everything and can echo or throw on demand. */
export class RecordingReactor extends BaseReactor {
  readonly received: { channelId: number; from: string; message: Uint8Array }[] = []
  readonly added: Peer[] = []
  readonly removed: { peer: Peer; reason: unknown }[] = []
  started = 0
  stopped = 0
  onReceive: ((envelope: Envelope) => void | Promise<void>) | undefined

  constructor(readonly channels: number[] = [0x77]) {
    super('RecordingReactor')
  }

  override getChannels(): ChannelDescriptor[] {
    return this.channels.map((id) => ({ id, priority: 1, sendQueueCapacity: 100, recvMessageCapacity: 1 << 20 }))
  }

  override addPeer(peer: Peer): void {
    this.added.push(peer)
  }

  override removePeer(peer: Peer, reason: unknown): void {
    this.removed.push({ peer, reason })
  }

  override receive(envelope: Envelope): void | Promise<void> {
    this.received.push({ channelId: envelope.channelId, from: envelope.peer.id, message: envelope.message })
    return this.onReceive?.(envelope)
  }

  override start(): void {
    this.started++
  }

  override stop(): void {
    this.stopped++
  }
}

/** Fast settings for switches in tests: short timers, all on 127.0.0.1. */
export const FAST: NonNullable<SwitchOptions['config']> = {
  allowDuplicateIp: true,
  handshakeTimeoutMs: 5000,
  dialTimeoutMs: 2000,
  flushThrottleTimeoutMs: 1,
  dialRandomizerIntervalMs: 0,
  reconnectIntervalMs: 20,
  reconnectBackOffUnitMs: 20,
  mconnection: { stopTimeoutMs: 1000 }
}

/** A switch with a RecordingReactor (channels 0x77, 0x78 by default), listening on 127.0.0.1:0, not started. */
export async function listeningSwitch(
  options: Partial<SwitchOptions> = {},
  channels: number[] = [0x77, 0x78]
): Promise<{ sw: Switch; key: NodeKey; reactor: RecordingReactor }> {
  const key = (options.nodeKey as NodeKey | undefined) ?? NodeKey.generate()
  const sw = new Switch({
    nodeKey: key,
    nodeInfo: {
      protocolVersion: { p2p: 8, block: 11, app: 0 },
      listenAddr: '',
      network: NETWORK,
      version: '0.34.27',
      moniker: 'test',
      other: { txIndex: 'off', rpcAddress: '' }
    },
    random: () => 0,
    ...options,
    config: { ...FAST, ...options.config }
  })
  const reactor = sw.addReactor('recording', new RecordingReactor(channels))
  await sw.transport.listen({ host: '127.0.0.1', port: 0 })
  return { sw, key, reactor }
}

/** A raw TCP client socket to 127.0.0.1:`port` (connected). */
export async function rawConnect(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port })
  socket.on('error', () => undefined)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  // Read (and drop) whatever arrives, so that the peer hanging up closes the socket.
  socket.resume()
  return socket
}

/** Resolves when `socket` (or any stream) has closed. */
export function closed(stream: NodeJS.EventEmitter & { destroyed?: boolean; closed?: boolean }): Promise<void> {
  if (stream.closed === true) return Promise.resolve()
  return new Promise<void>((resolve) => stream.once('close', () => resolve()))
}
