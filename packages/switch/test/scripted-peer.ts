import { type Socket } from 'node:net'
import { makeSecretConnection, type SecretConnection } from '@comet-p2p/secret-connection'
import { NodeKey } from '@comet-p2p/types'
import { rawConnect } from './helpers.js'

/**
 * A hand-driven peer: a real secret connection to 127.0.0.1:`port` as `key`,
 * after which the test writes whatever NodeInfo bytes it likes and reads
 * what the transport sent.
 */
export class ScriptedPeer {
  readonly received: Buffer[] = []
  constructor(
    readonly socket: Socket,
    readonly sc: SecretConnection
  ) {
    sc.on('data', (chunk: Buffer) => this.received.push(chunk))
    sc.on('error', () => undefined)
  }

  static async connect(port: number, key: NodeKey = NodeKey.generate()): Promise<ScriptedPeer> {
    const socket = await rawConnect(port)
    const sc = await makeSecretConnection(socket, key, { timeoutMs: 5000 })
    return new ScriptedPeer(socket, sc)
  }

  /** All plaintext received so far. */
  bytes(): Buffer {
    return Buffer.concat(this.received)
  }

  write(bytes: Uint8Array): void {
    this.sc.write(bytes)
  }

  /** Resolves once the connection closed (the transport hung up). */
  closed(): Promise<void> {
    if (this.socket.closed) return Promise.resolve()
    return new Promise((resolve) => this.socket.once('close', () => resolve()))
  }

  destroy(): void {
    this.sc.destroy()
    this.socket.destroy()
  }
}
