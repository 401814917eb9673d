import type { CounterMetric, MetricsRegistry } from '@comet-p2p/types'

/** Counters of what a PEX reactor did since it was created (see {@link PexReactor.stats}). */
export interface PexStats {
  /** `PexRequest` messages sent. */
  requestsSent: number
  /** `PexRequest` messages received. */
  requestsReceived: number
  /** `PexAddrs` messages sent. */
  addrsMessagesSent: number
  /** `PexAddrs` messages received (solicited or not). */
  addrsMessagesReceived: number
  /** Addresses in the accepted `PexAddrs` messages. */
  addrsReceived: number
  /** Of those, addresses the book accepted. */
  addrsAdded: number
  /** Peers disconnected for misbehaving on the PEX channel. */
  misbehaviours: number
  /** Dials the reactor started (peer manager, crawl, fast dialing and seeds). */
  dials: number
  /** Of those, dials that produced a peer. */
  dialsSucceeded: number
  /** Of those, dials that failed. */
  dialsFailed: number
  /** Dials not made because the address's backoff had not passed. */
  dialsTooEarly: number
  /** Addresses marked bad after `maxAttemptsToDial` failed dials. */
  dialsGivenUp: number
  /** Rounds of the peer manager (`ensurePeers`). */
  ensurePeersRounds: number
  /** Rounds of the seed-mode crawl. */
  crawlRounds: number
}

/** A fresh set of zero counters. */
export function emptyStats(): PexStats {
  return {
    requestsSent: 0,
    requestsReceived: 0,
    addrsMessagesSent: 0,
    addrsMessagesReceived: 0,
    addrsReceived: 0,
    addrsAdded: 0,
    misbehaviours: 0,
    dials: 0,
    dialsSucceeded: 0,
    dialsFailed: 0,
    dialsTooEarly: 0,
    dialsGivenUp: 0,
    ensurePeersRounds: 0,
    crawlRounds: 0
  }
}

/**
 * The reactor's metrics: `pex_messages_sent_total{type}`,
 * `pex_messages_received_total{type}`, `pex_addrs_received_total`,
 * `pex_misbehaviours_total{kind}` and `pex_dials_total{result}`. The
 * reference has no PEX metrics; label values are bounded enumerations.
 */
export class PexMetrics {
  readonly #sent: CounterMetric
  readonly #received: CounterMetric
  readonly #addrs: CounterMetric
  readonly #misbehaviours: CounterMetric
  readonly #dials: CounterMetric

  constructor(registry: MetricsRegistry) {
    this.#sent = registry.counter({ name: 'pex_messages_sent_total', help: 'PEX messages sent, by type.', labelNames: ['type'] })
    this.#received = registry.counter({
      name: 'pex_messages_received_total',
      help: 'PEX messages received, by type.',
      labelNames: ['type']
    })
    this.#addrs = registry.counter({ name: 'pex_addrs_received_total', help: 'Addresses received in solicited PEX answers.' })
    this.#misbehaviours = registry.counter({
      name: 'pex_misbehaviours_total',
      help: 'Peers disconnected for misbehaving on the PEX channel, by error code.',
      labelNames: ['kind']
    })
    this.#dials = registry.counter({ name: 'pex_dials_total', help: 'Dials made by the PEX reactor, by outcome.', labelNames: ['result'] })
  }

  sent(type: 'request' | 'addrs'): void {
    this.#sent.inc({ type })
  }

  received(type: 'request' | 'addrs'): void {
    this.#received.inc({ type })
  }

  addrs(count: number): void {
    this.#addrs.inc(undefined, count)
  }

  misbehaviour(kind: string): void {
    this.#misbehaviours.inc({ kind })
  }

  dial(result: 'ok' | 'failed' | 'too_early' | 'given_up'): void {
    this.#dials.inc({ result })
  }
}
