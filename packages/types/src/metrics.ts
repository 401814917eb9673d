/** Label values of one time series. */
export type MetricLabels = Record<string, string | number>

/** Describes a metric; `name` excludes any namespace the registry adds. */
export interface MetricDefinition {
  name: string
  help: string
  labelNames?: readonly string[]
}

/** A monotonically increasing count. */
export interface CounterMetric {
  inc(labels?: MetricLabels, value?: number): void
  /** Drops the series with these labels (e.g. when a peer goes away). */
  remove(labels: MetricLabels): void
}

/** A value that goes up and down. */
export interface GaugeMetric {
  set(labels: MetricLabels | undefined, value: number): void
  inc(labels?: MetricLabels, value?: number): void
  dec(labels?: MetricLabels, value?: number): void
  remove(labels: MetricLabels): void
}

/** A distribution of observed values. */
export interface HistogramMetric {
  observe(labels: MetricLabels | undefined, value: number): void
  remove(labels: MetricLabels): void
}

/**
 * The narrow metrics interface the packages report to. The `node` package
 * ships a Prometheus adapter; {@link noopMetrics} is the default.
 */
export interface MetricsRegistry {
  counter(definition: MetricDefinition): CounterMetric
  gauge(definition: MetricDefinition): GaugeMetric
  histogram(definition: MetricDefinition & { buckets?: readonly number[] }): HistogramMetric
}

const noop = (): void => undefined
const noopSeries = { inc: noop, dec: noop, set: noop, observe: noop, remove: noop }

/** A registry whose metrics record nothing. */
export const noopMetrics: MetricsRegistry = {
  counter: () => noopSeries,
  gauge: () => noopSeries,
  histogram: () => noopSeries
}
