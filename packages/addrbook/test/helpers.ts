import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NetAddress, type Clock } from '@comet-p2p/types'

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public ms = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.ms
  }
  advance(ms: number): void {
    this.ms += ms
  }
}

/** A small deterministic PRNG (mulberry32) returning numbers in [0, 1). */
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

/** A deterministic 40-hex-character node ID for `n`. */
export function idFor(n: number, salt = 0): string {
  const word = ((n * 2654435761 + salt * 40503) >>> 0).toString(16).padStart(8, '0')
  return (word + n.toString(16).padStart(8, '0') + salt.toString(16).padStart(8, '0')).padEnd(40, 'a')
}

/** The routable IPv4 address number `n`, in /16 group `group`. */
export function v4(n: number, group = 1, port = 26656, salt = 0): NetAddress {
  const a = 20 + (group >> 8)
  const b = group & 0xff
  return NetAddress.fromString(`${idFor(n + group * 100_000, salt)}@${a}.${b}.${(n >> 8) & 0xff}.${n & 0xff}:${port}`)
}

/** A source address in /16 group `group`. */
export function source(group: number): NetAddress {
  return NetAddress.fromString(`${idFor(group, 7)}@${60 + (group >> 8)}.${group & 0xff}.0.1:26656`)
}

/** A fresh temporary directory, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'addrbook-test-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}
