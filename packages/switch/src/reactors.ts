import type { ChannelDescriptor } from '@comet-p2p/mconnection'
import { InvalidArgumentError } from '@comet-p2p/types'
import { ChannelConflictError, DuplicateReactorError } from './errors.js'
import type { Reactor } from './reactor.js'

/** A reactor and the name it was registered under. */
export interface NamedReactor {
  readonly name: string
  readonly reactor: Reactor
}

/** The switch's reactors, and which reactor owns which channel. */
export class ReactorRegistry {
  readonly #byName = new Map<string, NamedReactor>()
  readonly #byChannel = new Map<number, NamedReactor>()
  readonly #descriptors = new Map<number, ChannelDescriptor>()

  /** Registers `reactor`; throws `DuplicateReactorError` or `ChannelConflictError` without changing anything. */
  add(name: string, reactor: Reactor): void {
    if (this.#byName.has(name)) throw new DuplicateReactorError(name)
    const channels = reactor.getChannels()
    const seen = new Set<number>()
    for (const channel of channels) {
      if (!Number.isInteger(channel.id) || channel.id < 0 || channel.id > 255) {
        throw new InvalidArgumentError(`reactor "${name}" declares channel id ${channel.id}; ids are 0-255`)
      }
      const owner = this.#byChannel.get(channel.id)
      if (owner !== undefined) throw new ChannelConflictError(channel.id, owner.name, name)
      if (seen.has(channel.id)) throw new ChannelConflictError(channel.id, name, name)
      seen.add(channel.id)
    }
    const entry: NamedReactor = { name, reactor }
    this.#byName.set(name, entry)
    for (const channel of channels) {
      this.#byChannel.set(channel.id, entry)
      this.#descriptors.set(channel.id, { ...channel })
    }
  }

  /** Unregisters the reactor named `name` and frees its channels; returns it, if it was there. */
  remove(name: string): Reactor | undefined {
    const entry = this.#byName.get(name)
    if (entry === undefined) return undefined
    this.#byName.delete(name)
    for (const [id, owner] of this.#byChannel) {
      if (owner !== entry) continue
      this.#byChannel.delete(id)
      this.#descriptors.delete(id)
    }
    return entry.reactor
  }

  get(name: string): Reactor | undefined {
    return this.#byName.get(name)?.reactor
  }

  /** The reactors in registration order. */
  list(): NamedReactor[] {
    return [...this.#byName.values()]
  }

  /** The reactor owning `channelId`. */
  forChannel(channelId: number): NamedReactor | undefined {
    return this.#byChannel.get(channelId)
  }

  /** Every channel of every reactor, in registration order. */
  descriptors(): ChannelDescriptor[] {
    return [...this.#descriptors.values()]
  }

  /** The channel IDs, for our NodeInfo. */
  channelIds(): Uint8Array {
    return Uint8Array.from(this.#descriptors.keys())
  }
}
