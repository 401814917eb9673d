import type { CounterMetric, GaugeMetric, HistogramMetric, MetricDefinition, MetricLabels, MetricsRegistry } from '@comet-p2p/types'

function key(labels: MetricLabels | undefined): string {
  if (labels === undefined) return ''
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${String(labels[k])}`)
    .join(',')
}

/** A registry that keeps every series in memory, for assertions. */
export class FakeMetrics implements MetricsRegistry {
  readonly series = new Map<string, Map<string, number>>()
  readonly registered: string[] = []

  #of(name: string): Map<string, number> {
    let s = this.series.get(name)
    if (s === undefined) {
      s = new Map()
      this.series.set(name, s)
    }
    return s
  }

  #make(def: MetricDefinition): CounterMetric & GaugeMetric & HistogramMetric {
    if (this.registered.includes(def.name)) throw new Error(`metric ${def.name} registered twice`)
    this.registered.push(def.name)
    const s = this.#of(def.name)
    return {
      inc: (labels, value = 1) => s.set(key(labels), (s.get(key(labels)) ?? 0) + value),
      dec: (labels, value = 1) => s.set(key(labels), (s.get(key(labels)) ?? 0) - value),
      set: (labels, value) => s.set(key(labels), value),
      observe: (labels, value) => s.set(key(labels), value),
      remove: (labels) => s.delete(key(labels))
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

  /** The value of one series (undefined when absent). */
  get(name: string, labels?: MetricLabels): number | undefined {
    return this.series.get(name)?.get(key(labels))
  }

  /** Label keys of every series of a metric. */
  labelsOf(name: string): string[] {
    return [...(this.series.get(name)?.keys() ?? [])]
  }
}
