// The shapes of @comet-p2p/types' metrics interfaces, repeated here because
// that package depends on this one for its tests (importing it would make a
// dependency cycle). RecordingMetrics satisfies MetricsRegistry structurally.
type MetricLabels = Record<string, string | number>
interface MetricDefinition {
  name: string
  help: string
  labelNames?: readonly string[]
}
interface Series {
  inc(labels?: MetricLabels, value?: number): void
  dec(labels?: MetricLabels, value?: number): void
  set(labels: MetricLabels | undefined, value: number): void
  observe(labels: MetricLabels | undefined, value: number): void
  remove(labels: MetricLabels): void
}

/** Options of {@link RecordingMetrics}. */
export interface RecordingMetricsOptions {
  /** Throw when a metric name is registered twice (catches components that would clash in Prometheus). Default false. */
  strict?: boolean
}

/**
 * A `MetricsRegistry` that keeps every series in memory, for assertions.
 * A series is keyed by its labels as `k1=v1,k2=v2` (keys sorted); a
 * histogram keeps its last observation.
 */
export class RecordingMetrics {
  /** Every series by metric name, then by label key. */
  readonly series = new Map<string, Map<string, number>>()
  /** Metric names in registration order. */
  readonly registered: string[] = []
  readonly #strict: boolean

  constructor(options: RecordingMetricsOptions = {}) {
    this.#strict = options.strict ?? false
  }

  counter(def: MetricDefinition): Series {
    return this.#make(def)
  }

  gauge(def: MetricDefinition): Series {
    return this.#make(def)
  }

  histogram(def: MetricDefinition): Series {
    return this.#make(def)
  }

  /** The value of one series, or undefined when it does not exist. */
  get(name: string, labels?: MetricLabels): number | undefined {
    return this.series.get(name)?.get(labelKey(labels))
  }

  /** The value of one series, 0 when it does not exist. */
  value(name: string, labels?: MetricLabels): number {
    return this.get(name, labels) ?? 0
  }

  /** The label keys of every series of a metric. */
  labelsOf(name: string): string[] {
    return [...(this.series.get(name)?.keys() ?? [])]
  }

  /** The series of a metric with one label, as `label value -> value`. */
  byLabel(name: string, label: string): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [key, value] of this.series.get(name) ?? []) out[key.replace(`${label}=`, '')] = value
    return out
  }

  #make(def: MetricDefinition): Series {
    if (this.#strict && this.registered.includes(def.name)) throw new Error(`metric ${def.name} registered twice`)
    this.registered.push(def.name)
    let series = this.series.get(def.name)
    if (series === undefined) {
      series = new Map()
      this.series.set(def.name, series)
    }
    const s = series
    const add = (labels: MetricLabels | undefined, delta: number): void => {
      const key = labelKey(labels)
      s.set(key, (s.get(key) ?? 0) + delta)
    }
    return {
      inc: (labels, value = 1) => add(labels, value),
      dec: (labels, value = 1) => add(labels, -value),
      set: (labels, value) => s.set(labelKey(labels), value),
      observe: (labels, value) => s.set(labelKey(labels), value),
      remove: (labels) => s.delete(labelKey(labels))
    }
  }
}

function labelKey(labels: MetricLabels | undefined): string {
  if (labels === undefined) return ''
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${String(labels[k])}`)
    .join(',')
}
