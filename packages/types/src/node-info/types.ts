import type { NodeId } from '../keys/node-id.js'

/**
 * Largest NodeInfo the handshake reads, in bytes: the limit applies to the
 * protobuf message announced by the length prefix, not counting the prefix.
 */
export const MAX_NODE_INFO_SIZE = 10240

/** Most channels a NodeInfo may list. */
export const MAX_NUM_CHANNELS = 16

/** Protocol versions a node speaks (uint64 on the wire; here safe integers). */
export interface NodeInfoProtocolVersion {
  /** Version of the p2p protocol; informative only. */
  p2p: number
  /** Version of the block protocol; peers must agree on it. */
  block: number
  /** Version of the application; informative only. */
  app: number
}

/** Application data exchanged with the NodeInfo. */
export interface NodeInfoOther {
  /** `"on"`, `"off"` or `""`. */
  txIndex: string
  /** Where the node serves RPC, free-form ASCII; may be empty. */
  rpcAddress: string
}

/**
 * What two nodes tell each other right after the encrypted handshake (the
 * reference `DefaultNodeInfo`). Everything except `id` (checked against the
 * authenticated key by the transport) is self-reported and unverified.
 */
export interface NodeInfo {
  protocolVersion: NodeInfoProtocolVersion
  /** The node's ID. */
  id: NodeId
  /** Where the node accepts connections, `[scheme://]host:port`. */
  listenAddr: string
  /** The chain ID; peers must agree on it exactly. */
  network: string
  /** Software version, free-form ASCII; may be empty. */
  version: string
  /** IDs of the channels the node serves, one byte each. */
  channels: Uint8Array
  /** Human-readable node name, non-empty ASCII. */
  moniker: string
  other: NodeInfoOther
}
