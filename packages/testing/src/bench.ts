import { cpus } from 'node:os'

/** One benchmark figure: the repeated measurements of one workload. */
export interface BenchResult {
  /** Package (or suite) the benchmark belongs to, e.g. `secret-connection`. */
  suite: string
  /** What was measured, e.g. `throughput`, `handshakes-sequential`. */
  workload: string
  /** Parameters that define the workload (sizes, backend, concurrency...). */
  params: Record<string, string | number | boolean>
  /** Unit of the figures, e.g. `MB/s`, `ops/s`, `ms`, `KB`. */
  unit: string
  /** Every run's figure, in order. */
  runs: number[]
}

/** A {@link BenchResult} with its summary and the machine it ran on. */
export interface BenchRecord extends BenchResult {
  median: number
  min: number
  max: number
  node: string
  cpu: string
  cores: number
  date: string
}

/** Prefix of the machine-readable line a benchmark prints for each result. */
export const BENCH_LINE_PREFIX = 'BENCH_RESULT '

/** Median of the values (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** The value below which `p` percent of the values lie (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}

/** Adds the summary and machine description to a result. */
export function toBenchRecord(result: BenchResult): BenchRecord {
  const cpuList = cpus()
  return {
    ...result,
    median: median(result.runs),
    min: Math.min(...result.runs),
    max: Math.max(...result.runs),
    node: process.version,
    cpu: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    date: new Date().toISOString()
  }
}

/**
 * Prints a result as one machine-readable line (`BENCH_RESULT {json}`) that
 * the root `pnpm bench` collects, plus a readable line on stderr.
 */
export function emitBenchResult(result: BenchResult): BenchRecord {
  const record = toBenchRecord(result)
  const params = Object.entries(record.params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ')
  process.stderr.write(
    `${record.suite} ${record.workload} [${params}]: median ${fmt(record.median)} ${record.unit} (min ${fmt(record.min)}, max ${fmt(record.max)}, ${record.runs.length} runs)\n`
  )
  process.stdout.write(BENCH_LINE_PREFIX + JSON.stringify(record) + '\n')
  return record
}

function fmt(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3)
}
