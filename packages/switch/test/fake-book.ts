import type { NetAddress } from '@comet-p2p/types'
import type { SwitchAddrBook } from '../src/index.js'

/** An address book that records every call. */
export class FakeBook implements SwitchAddrBook {
  readonly calls: string[] = []
  addAddress(addr: NetAddress, src: NetAddress): void {
    this.calls.push(`add ${addr.toString()} from ${src.toString()}`)
  }
  addOurAddress(addr: NetAddress): void {
    this.calls.push(`ours ${addr.toString()}`)
  }
  ourAddress(): boolean {
    return false
  }
  markGood(id: string): void {
    this.calls.push(`good ${id}`)
  }
  removeAddress(addr: NetAddress): void {
    this.calls.push(`remove ${addr.toString()}`)
  }
  hasAddress(): boolean {
    return true
  }
  addPrivateIDs(ids: Iterable<string>): void {
    this.calls.push(`private ${[...ids].join(',')}`)
  }
  save(): void {
    this.calls.push('save')
  }
}
