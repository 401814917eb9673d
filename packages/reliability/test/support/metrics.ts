import type { CounterMetric, GaugeMetric, HistogramMetric, MetricDefinition, MetricLabels, MetricsRegistry } from '@comet-p2p/types'

function key(labels: MetricLabels | undefined): string {
  if (labels === undefined) return ''
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${String(labels[k])}`)
    .join(',')
}

/** A metrics registry that keeps every series in memory, for assertions. */
export class RecordingMetrics implements MetricsRegistry {
  readonly series = new Map<string, Map<string, number>>()

  #make(def: MetricDefinition): CounterMetric & GaugeMetric & HistogramMetric {
    let s = this.series.get(def.name)
    if (s === undefined) {
      s = new Map()
      this.series.set(def.name, s)
    }
    const series = s
    return {
      inc: (labels, value = 1) => series.set(key(labels), (series.get(key(labels)) ?? 0) + value),
      dec: (labels, value = 1) => series.set(key(labels), (series.get(key(labels)) ?? 0) - value),
      set: (labels, value) => series.set(key(labels), value),
      observe: (labels, value) => series.set(key(labels), value),
      remove: (labels) => series.delete(key(labels))
    }
  }

  counter(def: MetricDefinition): CounterMetric {
    return this.#make(def)
  }

  gauge(def: MetricDefinition): GaugeMetric {
    return this.#make(def)
  }

  histogram(def: MetricDefinition): HistogramMetric {
    return this.#make(def)
  }

  /** The value of one series (0 when absent). */
  value(name: string, labels?: MetricLabels): number {
    return this.series.get(name)?.get(key(labels)) ?? 0
  }

  /** `rejected_connections_total{reason}` of the transport. */
  rejectedConnections(reason: string): number {
    return this.value('rejected_connections_total', { reason })
  }

  /** Every `rejected_connections_total` series, as `reason -> count`. */
  rejectedConnectionsByReason(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [labels, value] of this.series.get('rejected_connections_total') ?? []) out[labels.replace('reason=', '')] = value
    return out
  }
}
