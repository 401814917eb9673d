import type { NodeId } from '@comet-p2p/types'
import type { Peer, PeerSetLike } from './peer.js'

/** The switch's table of connected peers, by ID. */
export class PeerSet<P extends Peer = Peer> implements PeerSetLike {
  readonly #byId = new Map<NodeId, P>()

  get size(): number {
    return this.#byId.size
  }

  has(id: NodeId): boolean {
    return this.#byId.has(id)
  }

  hasIp(ip: string): boolean {
    for (const peer of this.#byId.values()) if (peer.remoteIp === ip) return true
    return false
  }

  get(id: NodeId): P | undefined {
    return this.#byId.get(id)
  }

  list(): P[] {
    return [...this.#byId.values()]
  }

  /** Adds `peer`; false if a peer with its ID is already there. */
  add(peer: P): boolean {
    if (this.#byId.has(peer.id)) return false
    this.#byId.set(peer.id, peer)
    return true
  }

  /** Removes `peer` (only this very peer, not another with the same ID); false if it was not there. */
  remove(peer: P): boolean {
    if (this.#byId.get(peer.id) !== peer) return false
    this.#byId.delete(peer.id)
    return true
  }
}
