import { NetAddress, abortErrorFor, type AbortOptions, type NodeIdentity, type NodeInfo } from '@comet-p2p/types'
import {
  DialError,
  TransportClosedError,
  type ListenAddress,
  type RejectedError,
  type Transport,
  type UpgradedConnection
} from '../src/index.js'

/** A transport without sockets: every dial is recorded and fails with a DialError; nothing is ever accepted. */
export class FakeTransport implements Transport {
  readonly dials: { addr: NetAddress; at: number }[] = []
  nodeInfo: NodeInfo | undefined
  #addr: NetAddress | undefined
  #closed = false
  readonly #waiters: ((err: Error) => void)[] = []

  constructor(readonly key: NodeIdentity) {}

  async listen(addr: NetAddress | ListenAddress): Promise<NetAddress> {
    const host = addr instanceof NetAddress ? addr.ip : addr.host
    this.#addr = NetAddress.fromParts(this.key.id, host, addr.port === 0 ? 26656 : addr.port)
    return this.#addr
  }

  accept(options: AbortOptions = {}): Promise<UpgradedConnection> {
    if (this.#closed) return Promise.reject(new TransportClosedError())
    return new Promise((_resolve, reject) => {
      this.#waiters.push(reject)
      options.signal?.addEventListener('abort', () => reject(abortErrorFor(options.signal!)), { once: true })
    })
  }

  async dial(addr: NetAddress): Promise<UpgradedConnection> {
    this.dials.push({ addr, at: Date.now() })
    throw new DialError(addr, 'connection refused (fake)')
  }

  cleanup(): void {}

  async close(): Promise<void> {
    this.#closed = true
    for (const reject of this.#waiters.splice(0)) reject(new TransportClosedError())
  }

  netAddress(): NetAddress | undefined {
    return this.#addr
  }

  setNodeInfo(nodeInfo: NodeInfo): void {
    this.nodeInfo = nodeInfo
  }

  on(_event: 'rejected', _listener: (err: RejectedError) => void): this {
    return this
  }

  off(_event: 'rejected', _listener: (err: RejectedError) => void): this {
    return this
  }
}
