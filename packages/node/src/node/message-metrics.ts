/**
 * Message counts per reactor: the switch counts wire bytes per peer and
 * channel; this adds messages and message bytes, sent and received, labelled
 * by the reactor that owns the channel. Receiving is counted by wrapping
 * each reactor; sending by wrapping `send` / `trySend` of every peer once,
 * in `initPeer` (the peer object itself is kept, as the switch compares
 * peers by identity).
 */
import type { ChannelDescriptor, Envelope, Peer, Reactor, SwitchLike } from '@comet-p2p/switch'
import type { AbortOptions, CounterMetric, MetricsRegistry } from '@comet-p2p/types'

/**
 * The counters, named as the reference's (v0.34.27 and later) `message_receive_bytes_total`
 * and `message_send_bytes_total`, plus message counts. The `message_type`
 * label is the name the reactor was registered under (`PEX`, or the name of
 * a custom reactor): the node cannot decode other reactors' messages.
 */
export class MessageMetrics {
  readonly #receivedBytes: CounterMetric
  readonly #sentBytes: CounterMetric
  readonly #received: CounterMetric
  readonly #sent: CounterMetric
  readonly #typeOfChannel = new Map<number, string>()
  readonly #patched = new WeakSet<Peer>()

  constructor(registry: MetricsRegistry) {
    this.#receivedBytes = registry.counter({
      name: 'message_receive_bytes_total',
      help: 'Number of bytes of each message type received.',
      labelNames: ['message_type']
    })
    this.#sentBytes = registry.counter({
      name: 'message_send_bytes_total',
      help: 'Number of bytes of each message type sent.',
      labelNames: ['message_type']
    })
    this.#received = registry.counter({
      name: 'messages_received_total',
      help: 'Number of messages of each message type received.',
      labelNames: ['message_type']
    })
    this.#sent = registry.counter({
      name: 'messages_sent_total',
      help: 'Number of messages of each message type sent (queued for a peer).',
      labelNames: ['message_type']
    })
  }

  /** Wraps `reactor`, registered as `name`, so that what it receives is counted. */
  wrap(name: string, reactor: Reactor): Reactor {
    for (const channel of reactor.getChannels()) this.#typeOfChannel.set(channel.id, name)
    return new CountingReactor(reactor, this)
  }

  /** Counts a received message. */
  received(channelId: number, bytes: number): void {
    const labels = { message_type: this.#typeOf(channelId) }
    this.#received.inc(labels)
    this.#receivedBytes.inc(labels, bytes)
  }

  /** Counts a message queued for a peer. */
  sent(channelId: number, bytes: number): void {
    const labels = { message_type: this.#typeOf(channelId) }
    this.#sent.inc(labels)
    this.#sentBytes.inc(labels, bytes)
  }

  /** Makes `peer.send` and `peer.trySend` count what they queue; once per peer. */
  instrumentPeer(peer: Peer): void {
    if (this.#patched.has(peer)) return
    this.#patched.add(peer)
    const send = peer.send.bind(peer)
    const trySend = peer.trySend.bind(peer)
    const counted = peer as { send: Peer['send']; trySend: Peer['trySend'] }
    counted.send = async (channelId: number, message: Uint8Array, options?: AbortOptions): Promise<boolean> => {
      const ok = await send(channelId, message, options)
      if (ok) this.sent(channelId, message.length)
      return ok
    }
    counted.trySend = (channelId: number, message: Uint8Array): boolean => {
      const ok = trySend(channelId, message)
      if (ok) this.sent(channelId, message.length)
      return ok
    }
  }

  #typeOf(channelId: number): string {
    return this.#typeOfChannel.get(channelId) ?? `0x${channelId.toString(16)}`
  }
}

/** A reactor that counts what it receives and otherwise hands everything to the wrapped one. */
class CountingReactor implements Reactor {
  readonly #inner: Reactor
  readonly #metrics: MessageMetrics

  constructor(inner: Reactor, metrics: MessageMetrics) {
    this.#inner = inner
    this.#metrics = metrics
  }

  getChannels(): ChannelDescriptor[] {
    return this.#inner.getChannels()
  }

  setSwitch(sw: SwitchLike | undefined): void {
    this.#inner.setSwitch(sw)
  }

  initPeer(peer: Peer): void {
    this.#metrics.instrumentPeer(peer)
    this.#inner.initPeer?.(peer)
  }

  addPeer(peer: Peer): void | Promise<void> {
    return this.#inner.addPeer(peer)
  }

  removePeer(peer: Peer, reason: unknown): void {
    this.#inner.removePeer(peer, reason)
  }

  receive(envelope: Envelope): void | Promise<void> {
    this.#metrics.received(envelope.channelId, envelope.message.length)
    return this.#inner.receive(envelope)
  }

  start(): void | Promise<void> {
    return this.#inner.start()
  }

  stop(): void | Promise<void> {
    return this.#inner.stop()
  }
}
