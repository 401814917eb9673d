/**
 * The one thing a p2p node needs from `genesis.json`: `chain_id`, the
 * network name peers must share. Genesis files of live chains can be
 * hundreds of megabytes (the application state is in them), so the ID is
 * looked for in the first part of the file, where CometBFT writes it, and
 * the whole file is parsed only when it is not found there.
 */
import { open, readFile, writeFile } from 'node:fs/promises'
import { MAX_CHAIN_ID_LENGTH } from '../config/validate.js'
import { GenesisError } from './errors.js'

/** Bytes read before falling back to parsing the whole file. */
const PREFIX_BYTES = 64 * 1024

type Scan = { kind: 'found'; value: unknown } | { kind: 'absent' } | { kind: 'incomplete' } | { kind: 'invalid' }

const WS = new Set([' ', '\t', '\n', '\r'])

function skipWs(text: string, i: number): number {
  while (i < text.length && WS.has(text[i] ?? '')) i++
  return i
}

/** Index after the string starting at `i` (a quote), or -1 if the text ends first. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]
    if (c === '\\') j++
    else if (c === '"') return j + 1
  }
  return -1
}

/** Index after the value starting at `i`, or -1 if the text ends first. Nesting is tracked, not validated. */
function skipValue(text: string, i: number): number {
  const first = text[i]
  if (first === '"') return skipString(text, i)
  if (first === '{' || first === '[') {
    let depth = 0
    for (let j = i; j < text.length; ) {
      const c = text[j]
      if (c === '"') {
        j = skipString(text, j)
        if (j < 0) return -1
        continue
      }
      if (c === '{' || c === '[') depth++
      else if (c === '}' || c === ']') depth--
      j++
      if (depth === 0) return j
    }
    return -1
  }
  let j = i
  while (j < text.length && !/[\s,}\]]/.test(text[j] ?? '')) j++
  return j < text.length ? j : -1
}

/** Looks for top-level `key` in the JSON object text (possibly truncated). The first occurrence wins. */
function scanTopLevel(text: string, key: string): Scan {
  let i = skipWs(text, text.charCodeAt(0) === 0xfeff ? 1 : 0)
  if (i >= text.length) return { kind: 'incomplete' }
  if (text[i] !== '{') return { kind: 'invalid' }
  i = skipWs(text, i + 1)
  if (text[i] === '}') return { kind: 'absent' }
  for (;;) {
    if (i >= text.length) return { kind: 'incomplete' }
    if (text[i] !== '"') return { kind: 'invalid' }
    const keyEnd = skipString(text, i)
    if (keyEnd < 0) return { kind: 'incomplete' }
    let name: unknown
    try {
      name = JSON.parse(text.slice(i, keyEnd))
    } catch {
      return { kind: 'invalid' }
    }
    i = skipWs(text, keyEnd)
    if (i >= text.length) return { kind: 'incomplete' }
    if (text[i] !== ':') return { kind: 'invalid' }
    i = skipWs(text, i + 1)
    if (i >= text.length) return { kind: 'incomplete' }
    const valueEnd = skipValue(text, i)
    if (valueEnd < 0) return { kind: 'incomplete' }
    if (name === key) {
      try {
        return { kind: 'found', value: JSON.parse(text.slice(i, valueEnd)) }
      } catch {
        return { kind: 'invalid' }
      }
    }
    i = skipWs(text, valueEnd)
    if (i >= text.length) return { kind: 'incomplete' }
    if (text[i] === '}') return { kind: 'absent' }
    if (text[i] !== ',') return { kind: 'invalid' }
    i = skipWs(text, i + 1)
  }
}

async function readPrefix(file: string): Promise<{ text: string; complete: boolean }> {
  const handle = await open(file, 'r')
  try {
    const buffer = Buffer.alloc(PREFIX_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, PREFIX_BYTES, 0)
    const size = (await handle.stat()).size
    // A multi-byte character cut at the end decodes as U+FFFD; only the part
    // before it is looked at when the file is longer.
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), complete: bytesRead >= size }
  } finally {
    await handle.close()
  }
}

function checkChainId(file: string, value: unknown): string {
  if (typeof value !== 'string') throw new GenesisError(file, `chain_id must be a string, got ${JSON.stringify(value)}`)
  if (value === '') throw new GenesisError(file, 'chain_id is empty')
  const length = Buffer.byteLength(value)
  if (length > MAX_CHAIN_ID_LENGTH) throw new GenesisError(file, `chain_id is ${length} bytes long, at most ${MAX_CHAIN_ID_LENGTH} allowed`)
  return value
}

/**
 * The `chain_id` of the genesis file at `file`, or `undefined` when the file
 * does not exist. Throws a {@link GenesisError} when it cannot be read, is
 * not a JSON object, or its `chain_id` is missing, not a string, empty or
 * longer than 50 bytes (the reference's rules).
 */
export async function readGenesisChainId(file: string): Promise<string | undefined> {
  let prefix: { text: string; complete: boolean }
  try {
    prefix = await readPrefix(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new GenesisError(file, `cannot read: ${(err as Error).message}`, { cause: err })
  }
  if (!prefix.complete) {
    const scan = scanTopLevel(prefix.text, 'chain_id')
    if (scan.kind === 'found') return checkChainId(file, scan.value)
  }
  let doc: unknown
  try {
    const text = prefix.complete ? prefix.text : await readFile(file, 'utf8')
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch (err) {
    throw new GenesisError(file, `is not valid JSON: ${(err as Error).message}`, { cause: err })
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new GenesisError(file, 'is not a JSON object')
  if (!('chain_id' in doc)) throw new GenesisError(file, 'has no chain_id')
  return checkChainId(file, (doc as Record<string, unknown>).chain_id)
}

/**
 * A minimal genesis document naming `chainId`: enough for a p2p node, and
 * accepted by CometBFT (which fills in the default consensus parameters),
 * though a real chain's genesis comes from its network.
 */
export function formatMinimalGenesis(chainId: string, genesisTime: Date): string {
  const doc = {
    genesis_time: genesisTime.toISOString(),
    chain_id: chainId,
    initial_height: '1',
    validators: [],
    app_hash: ''
  }
  return `${JSON.stringify(doc, null, 2)}\n`
}

/** Writes {@link formatMinimalGenesis} to `file` unless a file is already there; returns whether it wrote. */
export async function writeGenesisIfAbsent(file: string, chainId: string, genesisTime: Date): Promise<boolean> {
  try {
    await writeFile(file, formatMinimalGenesis(chainId, genesisTime), { flag: 'wx', mode: 0o644 })
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw new GenesisError(file, `cannot write: ${(err as Error).message}`, { cause: err })
  }
}
