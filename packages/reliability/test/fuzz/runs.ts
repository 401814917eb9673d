import { CometError } from '@comet-p2p/types'
import { expect } from 'vitest'

/** Runs per property: small in CI, large with `pnpm fuzz` (FUZZ_RUNS, default 20000 there). */
export const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150)

/** fast-check parameters for every property of the suite. */
export const params = { numRuns: RUNS }

/** Calls `fn`; if it throws, the error must be a typed `CometError` (bad input never crashes). Returns the result or the error. */
export function typed<T>(fn: () => T): T | CometError {
  try {
    return fn()
  } catch (err) {
    if (!(err instanceof CometError)) {
      expect.fail(`untyped error: ${err instanceof Error ? `${err.name}: ${err.message}\n${err.stack}` : String(err)}`)
    }
    return err
  }
}

/** Splits `bytes` at the given cut points (any numbers; taken modulo the length). */
export function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let prev = 0
  for (const p of points) {
    if (p > prev) out.push(bytes.subarray(prev, p))
    prev = Math.max(prev, p)
  }
  out.push(bytes.subarray(prev))
  return out
}

/** `bytes` with the byte at `index` (mod length) replaced by `value` (if different, else xored with 0xff). */
export function mutate(bytes: Uint8Array, index: number, value: number): Uint8Array {
  const out = Uint8Array.from(bytes)
  if (out.length === 0) return out
  const i = index % out.length
  out[i] = out[i] === value ? value ^ 0xff : value
  return out
}
