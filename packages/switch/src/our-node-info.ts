import { InvalidArgumentError, NodeInfoInvalidError, validateNodeInfo, type NetAddress, type NodeInfo } from '@comet-p2p/types'

/**
 * Our listen address as announced in NodeInfo: an empty one becomes the
 * address the transport is bound to, and a port 0 is replaced by the bound
 * port. Unchanged when the transport is not listening.
 */
export function fillListenAddr(current: string, bound: NetAddress | undefined): string {
  if (bound === undefined) return current
  if (current === '') return bound.dialString()
  if (/:0$/.test(current)) return `${current.slice(0, -1)}${bound.port}`
  return current
}

/** Throws an `InvalidArgumentError` when our own NodeInfo would fail the peers' validation. */
export function assertOurNodeInfo(info: NodeInfo): void {
  try {
    validateNodeInfo(info)
  } catch (err) {
    if (err instanceof NodeInfoInvalidError) throw new InvalidArgumentError(`our NodeInfo is invalid: ${err.message}`, { cause: err })
    throw err
  }
}
