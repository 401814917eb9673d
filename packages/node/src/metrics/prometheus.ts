import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import {
  InvalidArgumentError,
  type CounterMetric,
  type GaugeMetric,
  type HistogramMetric,
  type MetricDefinition,
  type MetricLabels,
  type MetricsRegistry
} from '@comet-p2p/types'

/** Options of {@link PrometheusMetrics}. */
export interface PrometheusMetricsOptions {
  /** First part of every name (`instrumentation.namespace`). Default `"cometbft"`; empty for none. */
  namespace?: string | undefined
  /** Second part of every name, as the reference's `MetricsSubsystem`. Default `"p2p"`; empty for none. */
  subsystem?: string | undefined
  /** The prom-client registry to register in. Default: a new one (never prom-client's global registry). */
  registry?: Registry | undefined
}

type Kind = 'counter' | 'gauge' | 'histogram'

interface Entry {
  kind: Kind
  labelNames: string
  series: CounterMetric | GaugeMetric | HistogramMetric
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/

/** Runs a prom-client call, turning its plain errors (unknown label, negative counter increment) into typed ones. */
function guarded(name: string, call: () => void): void {
  try {
    call()
  } catch (err) {
    throw new InvalidArgumentError(`metric ${name}: ${(err as Error).message}`, { cause: err })
  }
}

function hasLabels(labels: MetricLabels | undefined): labels is MetricLabels {
  return labels !== undefined && Object.keys(labels).length > 0
}

/**
 * The `MetricsRegistry` the packages report to, on prom-client. Names are
 * built as Go's `prometheus.BuildFQName` does: namespace, subsystem and
 * name joined by `_`, empty parts left out, so the switch's `peers` gauge is
 * `cometbft_p2p_peers` as in the reference. Asking twice for the same name
 * returns the same metric; asking for it with another type or other labels
 * throws an `InvalidArgumentError`.
 */
export class PrometheusMetrics implements MetricsRegistry {
  /** The prom-client registry holding the metrics (serve it, or merge it with others). */
  readonly registry: Registry
  readonly #prefix: string
  readonly #entries = new Map<string, Entry>()

  constructor(options: PrometheusMetricsOptions = {}) {
    const parts = [options.namespace ?? 'cometbft', options.subsystem ?? 'p2p'].filter((part) => part !== '')
    this.#prefix = parts.map((part) => `${part}_`).join('')
    this.registry = options.registry ?? new Registry()
  }

  /** The exposed name of a metric called `name`, e.g. `cometbft_p2p_peers` for `peers`. */
  fullName(name: string): string {
    return `${this.#prefix}${name}`
  }

  /** The metrics in the Prometheus text format. */
  async metrics(): Promise<string> {
    return this.registry.metrics()
  }

  /** The `Content-Type` of {@link PrometheusMetrics.metrics}. */
  get contentType(): string {
    return this.registry.contentType
  }

  counter(definition: MetricDefinition): CounterMetric {
    return this.#get('counter', definition, (name, labelNames) => {
      const metric = new Counter({ name, help: definition.help, labelNames, registers: [this.registry] })
      return {
        inc: (labels, value = 1) => guarded(name, () => (hasLabels(labels) ? metric.inc(labels, value) : metric.inc(value))),
        remove: (labels) => guarded(name, () => metric.remove(labels))
      }
    }) as CounterMetric
  }

  gauge(definition: MetricDefinition): GaugeMetric {
    return this.#get('gauge', definition, (name, labelNames) => {
      const metric = new Gauge({ name, help: definition.help, labelNames, registers: [this.registry] })
      return {
        set: (labels, value) => guarded(name, () => (hasLabels(labels) ? metric.set(labels, value) : metric.set(value))),
        inc: (labels, value = 1) => guarded(name, () => (hasLabels(labels) ? metric.inc(labels, value) : metric.inc(value))),
        dec: (labels, value = 1) => guarded(name, () => (hasLabels(labels) ? metric.dec(labels, value) : metric.dec(value))),
        remove: (labels) => guarded(name, () => metric.remove(labels))
      }
    }) as GaugeMetric
  }

  histogram(definition: MetricDefinition & { buckets?: readonly number[] }): HistogramMetric {
    return this.#get('histogram', definition, (name, labelNames) => {
      const buckets = definition.buckets === undefined ? undefined : [...definition.buckets]
      const metric = new Histogram({ name, help: definition.help, labelNames, registers: [this.registry], ...(buckets && { buckets }) })
      return {
        observe: (labels, value) => guarded(name, () => (hasLabels(labels) ? metric.observe(labels, value) : metric.observe(value))),
        remove: (labels) => guarded(name, () => metric.remove(labels))
      }
    }) as HistogramMetric
  }

  #get(kind: Kind, definition: MetricDefinition, create: (name: string, labelNames: string[]) => Entry['series']): Entry['series'] {
    const name = this.fullName(definition.name)
    const labelNames = [...(definition.labelNames ?? [])]
    const labelKey = [...labelNames].sort().join(',')
    const existing = this.#entries.get(name)
    if (existing !== undefined) {
      if (existing.kind !== kind || existing.labelNames !== labelKey) {
        throw new InvalidArgumentError(
          `metric ${name} is already registered as a ${existing.kind} with labels [${existing.labelNames}], not a ${kind} with [${labelKey}]`
        )
      }
      return existing.series
    }
    if (!METRIC_NAME.test(name)) throw new InvalidArgumentError(`invalid metric name ${JSON.stringify(name)}`)
    let series: Entry['series'] | undefined
    guarded(name, () => {
      series = create(name, labelNames)
    })
    if (series === undefined) throw new InvalidArgumentError(`metric ${name} could not be created`)
    this.#entries.set(name, { kind, labelNames: labelKey, series })
    return series
  }
}

/** A {@link PrometheusMetrics} with its own registry. */
export function createPrometheusMetrics(options: PrometheusMetricsOptions = {}): PrometheusMetrics {
  return new PrometheusMetrics(options)
}
