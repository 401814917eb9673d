import type { CounterMetric, GaugeMetric, MetricLabels, MetricsRegistry, NodeId } from '@comet-p2p/types'
import type { RejectionReason } from './errors.js'

/** Channel IDs as the reference labels them (`%#x`: `0x0`, `0x30`). */
export function channelLabel(channelId: number): string {
  return `0x${channelId.toString(16)}`
}

/**
 * The switch's metrics, named as the reference's p2p metrics (without
 * namespace): `peers`, `peer_receive_bytes_total{peer_id,chID}`,
 * `peer_send_bytes_total{peer_id,chID}`, `peer_pending_send_bytes{peer_id}`,
 * plus `rejected_peers_total{reason}`. Per-peer series are removed when the
 * peer leaves, so label cardinality stays bounded by the connected peers.
 */
export class SwitchMetrics {
  readonly #peers: GaugeMetric
  readonly #received: CounterMetric
  readonly #sent: CounterMetric
  readonly #pending: GaugeMetric
  readonly #rejected: CounterMetric
  /** Label objects per peer and channel, reused for every packet. */
  readonly #labels = new Map<NodeId, Map<number, MetricLabels>>()

  constructor(registry: MetricsRegistry) {
    this.#peers = registry.gauge({ name: 'peers', help: 'Number of peers.' })
    this.#received = registry.counter({
      name: 'peer_receive_bytes_total',
      help: 'Number of bytes received from a given peer.',
      labelNames: ['peer_id', 'chID']
    })
    this.#sent = registry.counter({
      name: 'peer_send_bytes_total',
      help: 'Number of bytes sent to a given peer.',
      labelNames: ['peer_id', 'chID']
    })
    this.#pending = registry.gauge({
      name: 'peer_pending_send_bytes',
      help: 'Pending bytes to be sent to a given peer.',
      labelNames: ['peer_id']
    })
    this.#rejected = registry.counter({
      name: 'rejected_peers_total',
      help: 'Upgraded connections the switch refused to add as peers, by reason.',
      labelNames: ['reason']
    })
  }

  peerAdded(): void {
    this.#peers.inc()
  }

  /** The peer left: the gauge goes down and its series go away. */
  peerRemoved(id: NodeId): void {
    this.#peers.dec()
    for (const labels of this.#labels.get(id)?.values() ?? []) {
      this.#received.remove(labels)
      this.#sent.remove(labels)
    }
    this.#labels.delete(id)
    this.#pending.remove({ peer_id: id })
  }

  packetSent(id: NodeId, channelId: number, bytes: number): void {
    this.#sent.inc(this.#labelsOf(id, channelId), bytes)
  }

  packetReceived(id: NodeId, channelId: number, bytes: number): void {
    this.#received.inc(this.#labelsOf(id, channelId), bytes)
  }

  /** Sets `peer_pending_send_bytes`; like the reference, the value is the number of queued messages. */
  pendingSend(id: NodeId, queued: number): void {
    this.#pending.set({ peer_id: id }, queued)
  }

  rejected(reason: RejectionReason): void {
    this.#rejected.inc({ reason })
  }

  #labelsOf(id: NodeId, channelId: number): MetricLabels {
    let perChannel = this.#labels.get(id)
    if (perChannel === undefined) {
      perChannel = new Map()
      this.#labels.set(id, perChannel)
    }
    let labels = perChannel.get(channelId)
    if (labels === undefined) {
      labels = { peer_id: id, chID: channelLabel(channelId) }
      perChannel.set(channelId, labels)
    }
    return labels
  }
}
