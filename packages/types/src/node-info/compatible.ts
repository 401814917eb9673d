import { bytesToHex as hex } from '@noble/hashes/utils.js'
import { NodeInfoIncompatibleError } from './errors.js'
import type { NodeInfo } from './types.js'

/**
 * The reference `CompatibleWith`: returns why `peer` cannot talk to us, or
 * `null`. Rules, in order: the same block protocol version, the same network
 * (exact, case-sensitive), and at least one channel in common, the last one
 * skipped when we list no channels. P2P, app and software versions are not
 * compared, and `peer` is not validated (call `validateNodeInfo` for that).
 */
export function compatibilityError(ours: NodeInfo, peer: NodeInfo): NodeInfoIncompatibleError | null {
  if (ours.protocolVersion.block !== peer.protocolVersion.block) {
    return new NodeInfoIncompatibleError(
      'block_version',
      `peer runs block protocol ${peer.protocolVersion.block}, we run ${ours.protocolVersion.block}`
    )
  }
  if (ours.network !== peer.network) {
    return new NodeInfoIncompatibleError('network', `peer is on network ${JSON.stringify(peer.network)}, we are on ${JSON.stringify(ours.network)}`)
  }
  if (ours.channels.length === 0) return null
  const theirs = new Set(peer.channels)
  if (ours.channels.some((channel) => theirs.has(channel))) return null
  return new NodeInfoIncompatibleError('channels', `no channel in common (ours: ${hex(ours.channels)}, peer's: ${hex(peer.channels)})`)
}

/** Throws the {@link NodeInfoIncompatibleError} of {@link compatibilityError}, if any. */
export function checkCompatible(ours: NodeInfo, peer: NodeInfo): void {
  const error = compatibilityError(ours, peer)
  if (error !== null) throw error
}

/** True when {@link compatibilityError} finds nothing. */
export function isCompatible(ours: NodeInfo, peer: NodeInfo): boolean {
  return compatibilityError(ours, peer) === null
}
