import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Finds the folder of reference test vectors. In order: the
 * `COMET_P2P_VECTORS` environment variable, `../shared/vectors` next to the
 * repository root, then `/work/shared/vectors`. Throws when none exists: the
 * vectors are the ground truth for wire compatibility, so a test that cannot
 * read them must fail, not skip.
 */
export function vectorsDir(): string {
  const candidates: string[] = []
  const fromEnv = process.env['COMET_P2P_VECTORS']
  if (fromEnv !== undefined && fromEnv !== '') candidates.push(resolve(fromEnv))
  const root = repositoryRoot()
  candidates.push(join(root, '..', 'shared', 'vectors'))
  candidates.push('/work/shared/vectors')
  for (const dir of candidates) {
    if (existsSync(join(dir, 'README.md'))) return dir
  }
  throw new Error(`reference vectors not found; looked in: ${candidates.join(', ')} (set COMET_P2P_VECTORS)`)
}

/** The monorepo root: the nearest folder above this file holding pnpm-workspace.yaml. */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error('repository root (pnpm-workspace.yaml) not found')
    dir = parent
  }
}

/** Reads a vector file as text, e.g. `readVectorText('derive-secrets.golden.csv')`. */
export function readVectorText(name: string): string {
  return readFileSync(join(vectorsDir(), name), 'utf8')
}

/** Parses a JSON vector file, e.g. `loadVector<KeysFile>('keys.json')`. */
export function loadVector<T>(name: string): T {
  return JSON.parse(readVectorText(name)) as T
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** Bytes of a hex string (vectors use lowercase hex). */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error(`not hex: ${hex.slice(0, 40)}`)
  return new Uint8Array(Buffer.from(hex, 'hex'))
}
