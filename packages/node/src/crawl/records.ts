import type { NetAddress, NodeId, NodeInfo } from '@comet-p2p/types'
import type { CrawledNode, CrawledNodeInfo, CrawlProgress } from './types.js'

/** What the crawl knows of one node while it runs. */
export interface NodeRecord {
  id: NodeId
  seed: boolean
  /** `ip:port` → address, in the order learned. */
  addresses: Map<string, NetAddress>
  /** Addresses dialed or queued. */
  tried: Set<string>
  sources: Set<NodeId>
  reachable: boolean | null
  dialedAddress: string | null
  error: string | null
  nodeInfo: NodeInfo | null
  addressesReported: number | null
}

function hex(channel: number): string {
  return `0x${channel.toString(16).padStart(2, '0')}`
}

/** The JSON form of a NodeInfo. */
export function crawledNodeInfo(info: NodeInfo): CrawledNodeInfo {
  return {
    network: info.network,
    version: info.version,
    protocolVersion: { ...info.protocolVersion },
    moniker: info.moniker,
    channels: Array.from(info.channels, hex),
    listenAddr: info.listenAddr,
    txIndex: info.other.txIndex,
    rpcAddress: info.other.rpcAddress
  }
}

/** The nodes of a crawl, by ID, in the order they were learned of. */
export class NodeTable {
  readonly #byId = new Map<NodeId, NodeRecord>()

  get size(): number {
    return this.#byId.size
  }

  get(id: NodeId): NodeRecord | undefined {
    return this.#byId.get(id)
  }

  /** The record of `addr.id`, created if new; the address is added to it. */
  learn(addr: NetAddress, seed = false): NodeRecord {
    let record = this.#byId.get(addr.id)
    if (record === undefined) {
      record = {
        id: addr.id,
        seed,
        addresses: new Map(),
        tried: new Set(),
        sources: new Set(),
        reachable: null,
        dialedAddress: null,
        error: null,
        nodeInfo: null,
        addressesReported: null
      }
      this.#byId.set(addr.id, record)
    }
    record.seed ||= seed
    const key = addr.dialString()
    if (!record.addresses.has(key)) record.addresses.set(key, addr)
    return record
  }

  /** Counts for the progress line. */
  progress(inFlight: number, queued: number, elapsedMs: number): CrawlProgress {
    let dialed = 0
    let reachable = 0
    let unreachable = 0
    for (const record of this.#byId.values()) {
      if (record.tried.size > 0) dialed++
      if (record.reachable === true) reachable++
      else if (record.reachable === false) unreachable++
    }
    return { known: this.#byId.size, dialed, reachable, unreachable, inFlight, queued, elapsedMs }
  }

  /** The JSON form of every node, seeds first. */
  toJSON(): CrawledNode[] {
    const records = [...this.#byId.values()]
    records.sort((a, b) => Number(b.seed) - Number(a.seed))
    return records.map((r) => ({
      id: r.id,
      addresses: [...r.addresses.keys()],
      reachable: r.reachable,
      dialedAddress: r.dialedAddress,
      error: r.reachable === true ? null : r.error,
      seed: r.seed,
      nodeInfo: r.nodeInfo === null ? null : crawledNodeInfo(r.nodeInfo),
      sources: [...r.sources],
      addressesReported: r.addressesReported
    }))
  }
}
