import { readdirSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { getHeapStatistics } from 'node:v8'

/** Open file descriptors of this process (entries of /proc/self/fd). */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length
}

/** Waits until the open descriptors are at most `limit` (sockets close asynchronously); returns the last count. */
export async function waitForFds(limit: number, timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const n = openFds()
    if (n <= limit || Date.now() >= deadline) return n
    await sleep(20)
  }
}

const gc = (globalThis as { gc?: () => void }).gc

/** True when the process runs with --expose-gc (the vitest config sets it). */
export const canCollect = gc !== undefined

/** Heap in use after forced full collections (V8 `used_heap_size`), in bytes. */
export async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.()
    await sleep(5)
  }
  return getHeapStatistics().used_heap_size
}

/** Heap plus array buffers after forced collections, in bytes: what the JS side holds. */
export async function memoryAfterGc(): Promise<{ heap: number; arrayBuffers: number; total: number }> {
  const heap = await heapAfterGc()
  const { arrayBuffers } = process.memoryUsage()
  return { heap, arrayBuffers, total: heap + arrayBuffers }
}

/** Samples RSS and heap every `intervalMs` until stopped; reports the peaks. */
export function sampleMemory(intervalMs = 50): { stop(): { peakRss: number; peakHeap: number; peakArrayBuffers: number } } {
  let peakRss = 0
  let peakHeap = 0
  let peakArrayBuffers = 0
  const sample = (): void => {
    const m = process.memoryUsage()
    peakRss = Math.max(peakRss, m.rss)
    peakHeap = Math.max(peakHeap, m.heapUsed)
    peakArrayBuffers = Math.max(peakArrayBuffers, m.arrayBuffers)
  }
  sample()
  const timer = setInterval(sample, intervalMs)
  return {
    stop() {
      clearInterval(timer)
      sample()
      return { peakRss, peakHeap, peakArrayBuffers }
    }
  }
}

export const MiB = 1024 * 1024

/** Polls `predicate` until it holds; throws after `timeoutMs` (a liveness guard, not a timing assertion). */
export async function waitFor(predicate: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}
