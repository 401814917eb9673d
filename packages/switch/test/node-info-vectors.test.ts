import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { activeResources, fromHex, loadVector, toHex, waitForNoLeaks, type ResourceCounts } from '@comet-p2p/testing'
import { NodeKey, type NodeInfo } from '@comet-p2p/types'
import { TcpTransport, type RejectedError } from '../src/index.js'
import { waitFor } from './helpers.js'
import { ScriptedPeer } from './scripted-peer.js'

interface VectorInfo {
  protocol_version: { p2p: number; block: number; app: number }
  id: string
  listen_addr: string
  network: string
  version: string
  channels_hex: string
  moniker: string
  other: { tx_index: string; rpc_address: string }
}
interface NodeInfoVectors {
  encodings: { name: string; info: VectorInfo; delimited_hex: string }[]
}
interface KeyVectors {
  cases: { id: string; seed_hex: string }[]
}

const vectors = loadVector<NodeInfoVectors>('node-info.json')
const keys = loadVector<KeyVectors>('keys.json')

function keyFor(id: string): NodeKey {
  const entry = keys.cases.find((k) => k.id === id)
  if (entry === undefined) throw new Error(`no key for ${id}`)
  return NodeKey.fromSeed(fromHex(entry.seed_hex))
}

function toInfo(v: VectorInfo): NodeInfo {
  return {
    protocolVersion: { ...v.protocol_version },
    id: v.id,
    listenAddr: v.listen_addr,
    network: v.network,
    version: v.version,
    channels: fromHex(v.channels_hex),
    moniker: v.moniker,
    other: { txIndex: v.other.tx_index, rpcAddress: v.other.rpc_address }
  }
}

let before: ResourceCounts
beforeEach(() => {
  before = activeResources()
})
afterEach(async () => {
  expect(await waitForNoLeaks(before)).toEqual({})
})

describe('NodeInfo handshake bytes (node-info.json)', () => {
  for (const vector of vectors.encodings) {
    it(`writes exactly delimited_hex on the encrypted stream: ${vector.name}`, async () => {
      const info = toInfo(vector.info)
      const transport = new TcpTransport({ nodeKey: keyFor(info.id), nodeInfo: info })
      await transport.listen({ host: '127.0.0.1', port: 0 })
      const rejected = new Promise<RejectedError>((resolve) => transport.on('rejected', resolve))
      const expected = fromHex(vector.delimited_hex)
      const peer = await ScriptedPeer.connect(transport.netAddress()!.port)
      await waitFor(() => peer.bytes().length >= expected.length)
      expect(toHex(peer.bytes())).toBe(vector.delimited_hex)
      peer.destroy()
      expect((await rejected).reason).toBe('handshake_failed')
      await transport.close()
    })

    it(`reads delimited_hex into the same NodeInfo: ${vector.name}`, async () => {
      const theirs = toInfo(vector.info)
      const key = NodeKey.generate()
      // Ours is compatible with theirs: same network and block version, one common channel.
      const ours: NodeInfo = {
        ...theirs,
        id: key.id,
        listenAddr: '127.0.0.1:26656',
        channels: theirs.channels.subarray(0, 1),
        moniker: 'reader'
      }
      const transport = new TcpTransport({ nodeKey: key, nodeInfo: ours })
      await transport.listen({ host: '127.0.0.1', port: 0 })
      const accepted = transport.accept()
      const peer = await ScriptedPeer.connect(transport.netAddress()!.port, keyFor(theirs.id))
      peer.write(fromHex(vector.delimited_hex))
      const conn = await accepted
      expect(conn.nodeInfo).toEqual(theirs)
      transport.cleanup(conn)
      peer.destroy()
      await transport.close()
    })
  }
})
