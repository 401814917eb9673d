// Runs every package's benchmark (one after the other, so they do not compete
// for the CPU), collects the BENCH_RESULT lines they print, and writes them to
// bench-results/<timestamp>.json plus a readable table on stdout.
//
// Usage: pnpm bench [--baseline <dir>] [--rounds <n>] [package ...]
//   pnpm bench                          every package with a `bench` script
//   pnpm bench secret-connection        one package
//   pnpm bench --baseline /tmp/base     also measure the checkout in /tmp/base
//
// With --baseline, <dir> is another built checkout of this repository (e.g. a
// `git worktree` of an older commit after `pnpm install --offline && pnpm
// build`). This tree's bench harness (packages/*/bench and the bench helpers
// of packages/testing) is copied into it first, so both sides run the same
// workloads and only the library code differs. Each package then runs
// baseline, current, current, baseline, ... for --rounds rounds (default 1),
// so slow drifts of the machine's load hit both sides alike; the table shows
// the medians over all runs of each side and their ratio.
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'

const PREFIX = 'BENCH_RESULT '
const root = join(import.meta.dirname, '..')

type Variant = 'current' | 'baseline'

interface BenchRecord {
  suite: string
  workload: string
  params: Record<string, string | number | boolean>
  unit: string
  runs: number[]
  median: number
  min: number
  max: number
  /** Which checkout produced it (only with --baseline). */
  variant?: Variant
  /** 1-based round (only with --baseline). */
  round?: number
  /** 1-minute load average when the package's benchmark started. */
  loadAvg?: number
}

interface Args {
  baseline: string | undefined
  rounds: number
  packages: string[]
}

function parseArgs(argv: string[]): Args {
  const args: Args = { baseline: undefined, rounds: 1, packages: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') continue
    if (arg === '--baseline') args.baseline = resolve(argv[++i] ?? '')
    else if (arg === '--rounds') args.rounds = Math.max(1, Number(argv[++i] ?? 1))
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`)
    else args.packages.push(arg)
  }
  return args
}

function packagesWithBench(dir: string): string[] {
  const packages = join(dir, 'packages')
  return readdirSync(packages).filter((name) => {
    const manifest = join(packages, name, 'package.json')
    if (!existsSync(manifest)) return false
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }
    return pkg.scripts?.['bench'] !== undefined
  })
}

/** Copies this tree's bench harness into the baseline checkout, so both run the same workloads. */
function syncHarness(baseline: string, names: string[]): void {
  for (const name of names) {
    const from = join(root, 'packages', name, 'bench')
    if (existsSync(from)) cpSync(from, join(baseline, 'packages', name, 'bench'), { recursive: true })
  }
  cpSync(join(root, 'packages', 'testing', 'src', 'bench.ts'), join(baseline, 'packages', 'testing', 'src', 'bench.ts'))
}

function gitCommit(dir: string): Promise<string> {
  return new Promise((resolveCommit) => {
    const child = spawn('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('close', () => resolveCommit(out.trim() || 'unknown'))
    child.on('error', () => resolveCommit('unknown'))
  })
}

function runBench(dir: string, name: string, tag: string): Promise<BenchRecord[]> {
  return new Promise((resolveRun, reject) => {
    const records: BenchRecord[] = []
    const loadAvg = Math.round((loadavg()[0] ?? 0) * 100) / 100
    process.stderr.write(`\n=== ${name}${tag} (load average ${loadAvg}) ===\n`)
    const child = spawn('pnpm', ['run', 'bench'], { cwd: join(dir, 'packages', name), stdio: ['ignore', 'pipe', 'inherit'] })
    let pending = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (text: string) => {
      pending += text
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        const at = line.indexOf(PREFIX)
        if (at >= 0) records.push({ ...(JSON.parse(line.slice(at + PREFIX.length)) as BenchRecord), loadAvg })
        else process.stdout.write(line + '\n')
      }
    })
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolveRun(records) : reject(new Error(`${name}${tag}: bench exited with ${code}`))))
  })
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

function paramText(r: BenchRecord): string {
  return Object.entries(r.params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ')
}

function fmt(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3)
}

function ratio(value: number): string {
  return value >= 0.1 ? value.toFixed(2) : value.toPrecision(2)
}

function render(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

function table(records: BenchRecord[]): string {
  const rows = records.map((r) => [
    r.suite,
    r.workload,
    paramText(r),
    `${fmt(r.median)} ${r.unit}`,
    `${fmt(r.min)}–${fmt(r.max)}`,
    String(r.runs.length)
  ])
  return render(['suite', 'workload', 'params', 'median', 'range', 'runs'], rows)
}

/**
 * Baseline against current: all runs of each side pooled, medians and their
 * ratio. Records are matched by suite, workload and their position among the
 * records of that workload in one benchmark run (some parameters are
 * measured values, e.g. a file size, and differ between runs).
 */
function comparisonTable(records: BenchRecord[]): string {
  const groups = new Map<string, { first: BenchRecord; baseline: number[]; current: number[] }>()
  const seen = new Map<string, number>()
  for (const r of records) {
    const variant = r.variant ?? 'current'
    const counter = `${variant}\u0000${r.round ?? 1}\u0000${r.suite}\u0000${r.workload}`
    const index = seen.get(counter) ?? 0
    seen.set(counter, index + 1)
    const key = `${r.suite}\u0000${r.workload}\u0000${index}`
    let group = groups.get(key)
    if (group === undefined) {
      group = { first: r, baseline: [], current: [] }
      groups.set(key, group)
    }
    if (variant === 'current') group.first = r
    group[variant].push(...r.runs)
  }
  const rows = [...groups.values()].map(({ first, baseline, current }) => {
    const b = baseline.length > 0 ? median(baseline) : Number.NaN
    const c = current.length > 0 ? median(current) : Number.NaN
    return [
      first.suite,
      first.workload,
      paramText(first),
      Number.isNaN(b) ? '–' : `${fmt(b)} (${fmt(Math.min(...baseline))}–${fmt(Math.max(...baseline))})`,
      Number.isNaN(c) ? '–' : `${fmt(c)} (${fmt(Math.min(...current))}–${fmt(Math.max(...current))})`,
      first.unit,
      Number.isNaN(b) || Number.isNaN(c) || b === 0 ? '–' : `${ratio(c / b)}x`,
      `${baseline.length}/${current.length}`
    ]
  })
  return render(['suite', 'workload', 'params', 'baseline median (range)', 'current median (range)', 'unit', 'current/baseline', 'runs'], rows)
}

const args = parseArgs(process.argv.slice(2))
const selected = args.packages.length > 0 ? args.packages : packagesWithBench(root)
const all: BenchRecord[] = []
let failed = false
const run = async (dir: string, name: string, variant: Variant | undefined, round: number): Promise<void> => {
  const tag = variant === undefined ? '' : ` [${variant}, round ${round}]`
  try {
    const records = await runBench(dir, name, tag)
    all.push(...records.map((r) => (variant === undefined ? r : { ...r, variant, round })))
  } catch (err) {
    failed = true
    process.stderr.write(`${(err as Error).message}\n`)
  }
}

const baseline = args.baseline
if (baseline !== undefined) {
  if (!existsSync(join(baseline, 'packages'))) throw new Error(`${baseline} is not a checkout of this repository`)
  syncHarness(baseline, selected)
}
for (const name of selected) {
  if (baseline === undefined) {
    await run(root, name, undefined, 1)
    continue
  }
  for (let round = 1; round <= args.rounds; round++) {
    // Alternate which side goes first, so a trend in the machine's load does not favour one.
    const order: [string, Variant][] = [
      [baseline, 'baseline'],
      [root, 'current']
    ]
    if (round % 2 === 0) order.reverse()
    for (const [dir, variant] of order) await run(dir, name, variant, round)
  }
}

const outDir = join(root, 'bench-results')
mkdirSync(outDir, { recursive: true })
const file = join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
const summary = {
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  commit: await gitCommit(root),
  ...(baseline === undefined ? {} : { baseline: { dir: baseline, commit: await gitCommit(baseline), rounds: args.rounds } }),
  results: all
}
writeFileSync(file, JSON.stringify(summary, null, 2) + '\n')
const shown = baseline === undefined ? table(all) : comparisonTable(all)
process.stdout.write(`\n${shown}\n\nresults written to ${file}\n`)
if (failed) process.exitCode = 1
