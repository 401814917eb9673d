import { NodeKey, type NodeInfo } from '@comet-p2p/types'
import { BaseReactor, Switch, type ChannelDescriptor } from '@comet-p2p/switch'

export const CHANNEL = 0x77
export const NETWORK = 'bench-chain'

/** Our NodeInfo for a bench node. */
export function benchInfo(key: NodeKey, listenAddr = '127.0.0.1:26656'): NodeInfo {
  return {
    protocolVersion: { p2p: 8, block: 11, app: 0 },
    id: key.id,
    listenAddr,
    network: NETWORK,
    version: 'bench',
    channels: Uint8Array.of(CHANNEL),
    moniker: 'bench',
    other: { txIndex: 'off', rpcAddress: '' }
  }
}

/** A reactor with one channel that ignores everything. */
export class IdleReactor extends BaseReactor {
  override getChannels(): ChannelDescriptor[] {
    return [{ id: CHANNEL, priority: 1 }]
  }
}

/** A switch with an idle reactor, all limits opened up for one-host benchmarks. */
export function benchSwitch(key = NodeKey.generate()): Switch {
  const sw = new Switch({
    nodeKey: key,
    nodeInfo: {
      protocolVersion: { p2p: 8, block: 11, app: 0 },
      listenAddr: '',
      network: NETWORK,
      version: 'bench',
      moniker: 'bench',
      other: { txIndex: 'off', rpcAddress: '' }
    },
    config: { allowDuplicateIp: true, maxNumInboundPeers: 10_000 }
  })
  sw.addReactor('idle', new IdleReactor())
  return sw
}

/** Reads lines from a child's stdout until `match` matches one; resolves with the match. */
export function waitForLine(stream: NodeJS.ReadableStream, match: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        const m = match.exec(line)
        if (m !== null) {
          stream.off('data', onData)
          resolve(m)
          return
        }
      }
    }
    stream.on('data', onData)
    stream.once('end', () => reject(new Error(`stream ended before ${String(match)}`)))
  })
}
