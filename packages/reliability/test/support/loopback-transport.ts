import { DialError, TcpTransport, type UpgradedConnection } from '@comet-p2p/switch'
import type { AbortOptions, NetAddress } from '@comet-p2p/types'

/** Dials made and refused by every {@link LoopbackOnlyTransport}, for the record. */
export const refusedDials: string[] = []

/**
 * A TcpTransport that dials 127.0.0.0/8 only. Tests fill address books with
 * made-up public addresses; should a peer manager pick one, the dial is
 * refused here instead of sending a packet off this machine.
 */
export class LoopbackOnlyTransport extends TcpTransport {
  override dial(addr: NetAddress, options?: AbortOptions): Promise<UpgradedConnection> {
    if (!addr.ip.startsWith('127.')) {
      refusedDials.push(addr.toString())
      return Promise.reject(new DialError(addr, 'tests dial loopback addresses only'))
    }
    return super.dial(addr, options)
  }
}
