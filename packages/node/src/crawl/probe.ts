/**
 * Learning a node's network before joining it: a secret-connection
 * handshake and one NodeInfo exchange, nothing more. The peer refuses us
 * afterwards (our network is a placeholder), but its NodeInfo has arrived
 * by then, since both sides send theirs at once.
 */
import { connect, type Socket } from 'node:net'
import { makeSecretConnection } from '@comet-p2p/secret-connection'
import {
  DelimitedDecoder,
  MAX_NODE_INFO_SIZE,
  TimeoutError,
  decodeNodeInfo,
  encodeDelimited,
  encodeNodeInfo,
  type NetAddress,
  type NodeIdentity,
  type NodeInfo
} from '@comet-p2p/types'
import { NODE_VERSION } from '../node/node-info.js'
import { ProbeError } from './errors.js'

/** Opens a TCP connection within `timeoutMs`. */
function connectWithin(addr: NetAddress, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: addr.ip, port: addr.port })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new TimeoutError(`timed out connecting to ${addr.dialString()}`))
    }, timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.off('error', reject)
      resolve(socket)
    })
    socket.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
  })
}

/**
 * Connects to `addr`, runs the handshake as `identity` and resolves with the
 * peer's NodeInfo (unvalidated). Everything is closed afterwards. Rejects
 * on connection, handshake or decoding failures, or after `timeoutMs`.
 */
export async function probeNodeInfo(addr: NetAddress, identity: NodeIdentity, timeoutMs = 10_000): Promise<NodeInfo> {
  const socket = await connectWithin(addr, timeoutMs)
  const connection = await makeSecretConnection(socket, identity, { expectedRemoteId: addr.id, timeoutMs })
  const ours: NodeInfo = {
    protocolVersion: { p2p: 8, block: 11, app: 0 },
    id: identity.id,
    listenAddr: 'tcp://0.0.0.0:0',
    network: 'comet-p2p-probe',
    version: NODE_VERSION,
    channels: new Uint8Array([0x00]),
    moniker: 'comet-p2p-crawler',
    other: { txIndex: 'off', rpcAddress: '' }
  }
  return new Promise<NodeInfo>((resolve, reject) => {
    const decoder = new DelimitedDecoder({ maxMessageSize: MAX_NODE_INFO_SIZE })
    let settled = false
    const settle = (fn: () => void): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      connection.destroy()
      fn()
    }
    const timer = setTimeout(() => settle(() => reject(new TimeoutError(`timed out waiting for the NodeInfo of ${addr.toString()}`))), timeoutMs)
    connection.on('data', (chunk: Uint8Array) => {
      try {
        const [first] = decoder.push(chunk)
        if (first !== undefined) {
          const info = decodeNodeInfo(first)
          settle(() => resolve(info))
        }
      } catch (err) {
        settle(() => reject(err instanceof Error ? err : new ProbeError(String(err))))
      }
    })
    connection.on('error', (err: Error) => settle(() => reject(err)))
    connection.on('close', () => settle(() => reject(new ProbeError(`${addr.toString()} closed the connection before sending its NodeInfo`))))
    connection.write(encodeDelimited(encodeNodeInfo(ours)))
  })
}
