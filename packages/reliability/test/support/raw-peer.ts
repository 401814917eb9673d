import { connect, type Socket } from 'node:net'
import { makeSecretConnection, type SecretConnection } from '@comet-p2p/secret-connection'
import { NodeKey, encodeDelimited, encodeNodeInfo, encodePacket, type NodeInfo, type Packet } from '@comet-p2p/types'
import { nodeInfoFor } from './nodes.js'

/** A connected TCP client socket to 127.0.0.1:`port`, optionally bound to `localAddress` (any 127/8 address). */
export async function rawConnect(port: number, localAddress?: string): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port, localAddress, noDelay: true })
  socket.on('error', () => undefined)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  return socket
}

/** Resolves when `stream` has closed. */
export function whenClosed(stream: NodeJS.EventEmitter & { closed?: boolean }): Promise<void> {
  if (stream.closed === true) return Promise.resolve()
  return new Promise<void>((resolve) => stream.once('close', () => resolve()))
}

/** `uvarint(len) || Packet` bytes, as an MConnection puts them on the wire. */
export function packetBytes(packet: Packet): Uint8Array {
  return encodeDelimited(encodePacket(packet))
}

/**
 * A hand-driven peer: a real secret connection to 127.0.0.1:`port` as
 * `key`, a NodeInfo of its choosing, and then whatever bytes the test
 * writes (raw MConnection packets, garbage...). By default it reads (and
 * keeps) what it receives; `stopReading()` makes it a peer that never reads.
 */
export class RawPeer {
  readonly received: Buffer[] = []
  #reading = true

  constructor(
    readonly key: NodeKey,
    readonly socket: Socket,
    readonly sc: SecretConnection
  ) {
    sc.on('data', (chunk: Buffer) => this.received.push(chunk))
    sc.on('error', () => undefined)
  }

  static async connect(port: number, options: { key?: NodeKey; info?: Partial<NodeInfo>; localAddress?: string } = {}): Promise<RawPeer> {
    const key = options.key ?? NodeKey.generate()
    const socket = await rawConnect(port, options.localAddress)
    const sc = await makeSecretConnection(socket, key, { timeoutMs: 5000 })
    const peer = new RawPeer(key, socket, sc)
    peer.write(encodeDelimited(encodeNodeInfo(nodeInfoFor(key, options.info))))
    return peer
  }

  get id(): string {
    return this.key.id
  }

  /** All plaintext received so far. */
  bytes(): Buffer {
    return Buffer.concat(this.received)
  }

  write(bytes: Uint8Array): boolean {
    return this.sc.write(bytes)
  }

  sendPacket(packet: Packet): boolean {
    return this.write(packetBytes(packet))
  }

  /** Sends `data` on `channelId` cut into packets of at most `maxPayload` bytes, as an MConnection does. */
  sendMessage(channelId: number, data: Uint8Array, maxPayload = 1024): boolean {
    let ok = true
    for (let offset = 0; ; offset += maxPayload) {
      const piece = data.subarray(offset, offset + maxPayload)
      const eof = offset + maxPayload >= data.length
      ok = this.sendPacket({ type: 'msg', channelId, eof, data: piece }) && ok
      if (eof) return ok
    }
  }

  /** From now on nothing is read from the socket: the kernel buffers fill and TCP pushes back on the sender. */
  stopReading(): void {
    this.#reading = false
    this.sc.pause()
    this.socket.pause()
  }

  get reading(): boolean {
    return this.#reading
  }

  get closed(): boolean {
    return this.socket.destroyed
  }

  whenClosed(): Promise<void> {
    return whenClosed(this.socket)
  }

  destroy(): void {
    this.sc.destroy()
    this.socket.destroy()
  }
}
