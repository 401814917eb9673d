import type { Duplex, Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'

/** Resolves once `predicate` holds, polling briefly; rejects after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await sleep(2)
  }
}

/** Collects everything `stream` emits as 'data' from now on. */
export function collect(stream: Readable): { chunks: Buffer[]; bytes(): Uint8Array; length(): number } {
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  return {
    chunks,
    bytes: () => new Uint8Array(Buffer.concat(chunks)),
    length: () => chunks.reduce((n, c) => n + c.length, 0)
  }
}

/** Writes `data` to `stream` in pieces of random sizes in [1, maxPiece]. */
export function writeInPieces(stream: Duplex, data: Uint8Array, maxPiece: number, random: () => number = Math.random): void {
  let offset = 0
  while (offset < data.length) {
    const size = 1 + Math.floor(random() * maxPiece)
    stream.write(data.subarray(offset, offset + size))
    offset += size
  }
}

/** Reads exactly `length` bytes from `stream` (flowing mode), resolving with them. */
export async function readBytes(stream: Readable, length: number): Promise<Uint8Array> {
  if (length === 0) return new Uint8Array(0)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let total = 0
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk)
      total += chunk.length
      if (total >= length) {
        cleanup()
        resolve(new Uint8Array(Buffer.concat(chunks)))
      }
    }
    const onError = (err: Error): void => {
      cleanup()
      reject(err)
    }
    const onEnd = (): void => {
      cleanup()
      reject(new Error(`stream ended after ${total} of ${length} bytes`))
    }
    const cleanup = (): void => {
      stream.off('data', onData)
      stream.off('error', onError)
      stream.off('end', onEnd)
      stream.pause()
    }
    stream.on('data', onData)
    stream.on('error', onError)
    stream.on('end', onEnd)
  })
}

/** A small seeded PRNG (mulberry32) so failures replay. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
