import { randomBytes } from 'node:crypto'
import { link, rename, rm, stat } from 'node:fs/promises'
import { InvalidNodeKeyError, loadNodeKey, NodeKey, saveNodeKey } from '@comet-p2p/types'
import { NodeKeyExistsError, NodeKeyNotFoundError } from './errors.js'

/** Whether something (a file, a directory, a dangling link) is at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT'
  }
}

/**
 * Saves `key` at `file` only if no file is there: the key is written to a
 * temporary file (synced, mode 0600) and hard-linked into place, which fails
 * if `file` appeared meanwhile. On file systems without hard links it is
 * renamed into place instead, after a last check.
 */
export async function createNodeKeyFile(key: NodeKey, file: string): Promise<void> {
  if (await pathExists(file)) throw new NodeKeyExistsError(file)
  const tmp = `${file}.${randomBytes(6).toString('hex')}.new`
  await saveNodeKey(key, tmp)
  try {
    await link(tmp, file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') throw new NodeKeyExistsError(file)
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw err
    if (await pathExists(file)) throw new NodeKeyExistsError(file)
    await rename(tmp, file)
  } finally {
    await rm(tmp, { force: true })
  }
}

/**
 * Loads the node key at `file`. A missing file is a
 * {@link NodeKeyNotFoundError}, unless `generate` is set: then a new key is
 * created there (as the reference node does on start). A corrupt file is an
 * `InvalidNodeKeyError` naming it.
 */
export async function loadHomeNodeKey(file: string, generate: boolean): Promise<NodeKey> {
  try {
    return await loadNodeKey(file)
  } catch (err) {
    const cause = err instanceof InvalidNodeKeyError ? (err.cause as NodeJS.ErrnoException | undefined) : undefined
    if (cause?.code !== 'ENOENT') throw err
    if (!generate) throw new NodeKeyNotFoundError(file, { cause: err })
  }
  const key = NodeKey.generate()
  try {
    await createNodeKeyFile(key, file)
  } catch (err) {
    // Another process created it first: use that one.
    if (err instanceof NodeKeyExistsError) return loadNodeKey(file)
    throw err
  }
  return key
}
