import type { NodeId } from '@comet-p2p/types'

/** What a crawled node said about itself in its NodeInfo. */
export interface CrawledNodeInfo {
  network: string
  version: string
  protocolVersion: { p2p: number; block: number; app: number }
  moniker: string
  /** Channel IDs as hex (`0x00`, `0x30`...). */
  channels: string[]
  listenAddr: string
  txIndex: string
  rpcAddress: string
}

/** One node the crawl saw: dialed, or only heard of. */
export interface CrawledNode {
  id: NodeId
  /** Every `ip:port` seen for it (from the seeds or PEX answers). */
  addresses: string[]
  /** True: connected; false: every dial failed; null: not dialed (limit, time, or a non-routable address). */
  reachable: boolean | null
  /** The address the connection was made to, when reachable. */
  dialedAddress: string | null
  /** Why it was not reachable or not dialed. */
  error: string | null
  /** True for the seeds the crawl started from. */
  seed: boolean
  /** Its NodeInfo, when connected. */
  nodeInfo: CrawledNodeInfo | null
  /** IDs of the nodes that told us about it (in PEX answers). */
  sources: NodeId[]
  /** Addresses it gave us when asked, or null when it did not answer. */
  addressesReported: number | null
}

/** Why a crawl ended. */
export type CrawlEnd = 'done' | 'timeout' | 'interrupted'

/** The outcome of a crawl: `nodes.json`. */
export interface CrawlResult {
  /** The chain crawled. */
  chainId: string
  /** The seeds, as given. */
  seeds: string[]
  startedAt: string
  finishedAt: string
  elapsedMs: number
  /** `done` when every reachable node was asked; `timeout` or `interrupted` otherwise. */
  end: CrawlEnd
  /** True when `maxNodes` kept known nodes from being dialed. */
  maxNodesReached: boolean
  maxNodes: number
  /** The crawler's ID and version. */
  crawler: { id: NodeId; version: string }
  /** Every node seen, seeds first, then in the order they were learned of. */
  nodes: CrawledNode[]
}

/** Counts reported while crawling. */
export interface CrawlProgress {
  known: number
  dialed: number
  reachable: number
  unreachable: number
  inFlight: number
  queued: number
  elapsedMs: number
}
