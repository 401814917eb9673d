import type { ChannelDescriptor } from '@comet-p2p/mconnection'
import { SwitchNotSetError } from './errors.js'
import type { Peer } from './peer/peer.js'
import type { SwitchLike } from './switch-like.js'

/** A message received from a peer, as handed to {@link Reactor.receive}. */
export interface Envelope {
  /** The channel it came on (one of the reactor's). */
  channelId: number
  /** Who sent it. */
  peer: Peer
  /** The message bytes: a fresh copy the reactor owns. */
  message: Uint8Array
}

/**
 * A protocol running over the switch (the reference `Reactor`): it declares
 * channels, is told about peers coming and going, and receives the messages
 * of its channels. Send with `peer.send` / `peer.trySend` or
 * `switch.broadcast`.
 *
 * Errors are contained: a `receive` or `addPeer` that throws or rejects
 * stops that peer (`stopPeerForError` with a `ReactorError`), nothing else.
 */
export interface Reactor {
  /** The channels the reactor uses; IDs must be unique across the switch's reactors. Called by `addReactor`. */
  getChannels(): ChannelDescriptor[]
  /** The switch hands itself over when the reactor is added (`undefined` when removed). */
  setSwitch(sw: SwitchLike | undefined): void
  /** Called before the peer starts, e.g. to attach per-peer state with `peer.set`. */
  initPeer?(peer: Peer): void
  /** The peer is connected and running: start talking to it. */
  addPeer(peer: Peer): void | Promise<void>
  /** The peer was stopped; `reason` is the error, or undefined for a graceful stop. Called once per added peer. */
  removePeer(peer: Peer, reason: unknown): void
  /**
   * A message on one of the reactor's channels. Return a promise to hold
   * back the next message of that channel from that peer until it settles
   * (receive backpressure); keepalive traffic is unaffected.
   */
  receive(envelope: Envelope): void | Promise<void>
  /** Called by `switch.start()`, before any peer is added. */
  start(): void | Promise<void>
  /** Called by `switch.stop()`, after every peer was removed. */
  stop(): void | Promise<void>
}

/**
 * A {@link Reactor} with no-op defaults (no channels, ignores peers and
 * messages) and the switch at hand as `this.switch`. Override what you need.
 */
export abstract class BaseReactor implements Reactor {
  /** A name for messages; defaults to the class name. */
  readonly reactorName: string
  #switch: SwitchLike | undefined

  constructor(name?: string) {
    this.reactorName = name ?? this.constructor.name
  }

  /** The switch the reactor was added to. Throws `SwitchNotSetError` before `addReactor`. */
  get switch(): SwitchLike {
    if (this.#switch === undefined) throw new SwitchNotSetError(this.reactorName)
    return this.#switch
  }

  /** True once the reactor was added to a switch. */
  get hasSwitch(): boolean {
    return this.#switch !== undefined
  }

  setSwitch(sw: SwitchLike | undefined): void {
    this.#switch = sw
  }

  getChannels(): ChannelDescriptor[] {
    return []
  }

  initPeer(_peer: Peer): void {}

  addPeer(_peer: Peer): void | Promise<void> {}

  removePeer(_peer: Peer, _reason: unknown): void {}

  receive(_envelope: Envelope): void | Promise<void> {}

  start(): void | Promise<void> {}

  stop(): void | Promise<void> {}
}
