import type { CounterMetric, GaugeMetric, HistogramMetric, MetricDefinition, MetricsRegistry } from '@comet-p2p/types'

const ignore = (): void => undefined

/**
 * A `MetricsRegistry` that only sums counters by name, ignoring labels:
 * enough for the demo's traffic columns (`peer_send_bytes_total`,
 * `peer_receive_bytes_total`), and cumulative across peers that left.
 */
export class TrafficMeter implements MetricsRegistry {
  readonly #totals = new Map<string, number>()

  /** The sum of everything counted under `name`. */
  total(name: string): number {
    return this.#totals.get(name) ?? 0
  }

  counter(definition: MetricDefinition): CounterMetric {
    return {
      inc: (_labels, value = 1) => {
        this.#totals.set(definition.name, this.total(definition.name) + value)
      },
      remove: ignore
    }
  }

  gauge(): GaugeMetric {
    return { set: ignore, inc: ignore, dec: ignore, remove: ignore }
  }

  histogram(): HistogramMetric {
    return { observe: ignore, remove: ignore }
  }
}
