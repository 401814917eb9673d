import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { InvalidNodeKeyError } from '../errors.js'
import { NodeKey } from './node-key.js'

/** The amino type tag of an ed25519 private key in `node_key.json`. */
export const PRIV_KEY_ED25519_TYPE = 'tendermint/PrivKeyEd25519'

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * The exact text CometBFT writes to `node_key.json` for this key:
 * compact JSON, no trailing newline.
 */
export function formatNodeKeyJson(key: NodeKey): string {
  const value = Buffer.from(key.privateKeyBytes()).toString('base64')
  return JSON.stringify({ priv_key: { type: PRIV_KEY_ED25519_TYPE, value } })
}

/**
 * Reads the text of a `node_key.json` file (as written by CometBFT or by
 * {@link formatNodeKeyJson}). Only ed25519 keys exist in the protocol;
 * anything else is an {@link InvalidNodeKeyError}.
 */
export function parseNodeKeyJson(text: string): NodeKey {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw new InvalidNodeKeyError('node key is not valid JSON', { cause: err })
  }
  const privKey = field(doc, 'priv_key')
  const type = field(privKey, 'type')
  const value = field(privKey, 'value')
  if (type !== PRIV_KEY_ED25519_TYPE) {
    throw new InvalidNodeKeyError(`unsupported node key type ${JSON.stringify(type)}; expected ${PRIV_KEY_ED25519_TYPE}`)
  }
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) {
    throw new InvalidNodeKeyError('node key value is not base64')
  }
  return NodeKey.fromPrivateKey(new Uint8Array(Buffer.from(value, 'base64')))
}

/** Loads a `node_key.json` file; errors name the file. */
export async function loadNodeKey(path: string): Promise<NodeKey> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new InvalidNodeKeyError(`cannot read node key file ${path}: ${(err as Error).message}`, { cause: err })
  }
  try {
    return parseNodeKeyJson(text)
  } catch (err) {
    throw new InvalidNodeKeyError(`node key file ${path}: ${(err as Error).message}`, { cause: err })
  }
}

/**
 * Writes `key` to `path` in the reference format, readable only by the owner
 * (mode 0600, as CometBFT). The file is written to a temporary name, synced
 * and renamed, so a crash never leaves a truncated key behind.
 */
export async function saveNodeKey(key: NodeKey, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    const handle = await open(tmp, 'wx', 0o600)
    try {
      await handle.writeFile(formatNodeKeyJson(key))
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

/** Loads the key at `path`, or generates and saves a new one when the file does not exist. */
export async function loadOrGenerateNodeKey(path: string): Promise<NodeKey> {
  try {
    return await loadNodeKey(path)
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown } }).cause
    if (cause?.code !== 'ENOENT') throw err
  }
  const key = NodeKey.generate()
  await saveNodeKey(key, path)
  return key
}

function field(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || !(name in value)) {
    throw new InvalidNodeKeyError(`node key JSON lacks the "${name}" field`)
  }
  return (value as Record<string, unknown>)[name]
}
