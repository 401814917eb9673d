// Runs every package's benchmark (one after the other, so they do not compete
// for the CPU), collects the BENCH_RESULT lines they print, and writes them to
// bench-results/<timestamp>.json plus a readable table on stdout.
// Usage: pnpm bench [package ...]   (e.g. `pnpm bench secret-connection`)
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'

const PREFIX = 'BENCH_RESULT '
const root = join(import.meta.dirname, '..')

interface BenchRecord {
  suite: string
  workload: string
  params: Record<string, string | number | boolean>
  unit: string
  runs: number[]
  median: number
  min: number
  max: number
}

function packagesWithBench(): string[] {
  const dir = join(root, 'packages')
  return readdirSync(dir).filter((name) => {
    const manifest = join(dir, name, 'package.json')
    if (!existsSync(manifest)) return false
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }
    return pkg.scripts?.['bench'] !== undefined
  })
}

function runBench(name: string): Promise<BenchRecord[]> {
  return new Promise((resolve, reject) => {
    const records: BenchRecord[] = []
    const child = spawn('pnpm', ['run', 'bench'], { cwd: join(root, 'packages', name), stdio: ['ignore', 'pipe', 'inherit'] })
    let pending = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (text: string) => {
      pending += text
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        const at = line.indexOf(PREFIX)
        if (at >= 0) records.push(JSON.parse(line.slice(at + PREFIX.length)) as BenchRecord)
        else process.stdout.write(line + '\n')
      }
    })
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(records) : reject(new Error(`${name}: bench exited with ${code}`))))
  })
}

function table(records: BenchRecord[]): string {
  const rows = records.map((r) => [
    r.suite,
    r.workload,
    Object.entries(r.params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' '),
    `${fmt(r.median)} ${r.unit}`,
    `${fmt(r.min)}–${fmt(r.max)}`,
    String(r.runs.length)
  ])
  const header = ['suite', 'workload', 'params', 'median', 'range', 'runs']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

function fmt(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3)
}

const wanted = process.argv.slice(2)
const selected = wanted.length > 0 ? wanted : packagesWithBench()
const all: BenchRecord[] = []
let failed = false
for (const name of selected) {
  process.stderr.write(`\n=== ${name} ===\n`)
  try {
    all.push(...(await runBench(name)))
  } catch (err) {
    failed = true
    process.stderr.write(`${(err as Error).message}\n`)
  }
}
const outDir = join(root, 'bench-results')
mkdirSync(outDir, { recursive: true })
const file = join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
writeFileSync(
  file,
  JSON.stringify({ node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, results: all }, null, 2) + '\n'
)
process.stdout.write(`\n${table(all)}\n\nresults written to ${file}\n`)
if (failed) process.exitCode = 1
