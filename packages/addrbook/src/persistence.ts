import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { AddrBookFileReadError } from './errors.js'

/** Infix of the temporary files a save writes next to the book: `<name>.tmp-<pid>-<random>`. */
export const TEMP_INFIX = '.tmp-'

/** The file's text, or `undefined` when it does not exist. Other failures are {@link AddrBookFileReadError}s. */
export async function readBookFile(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined
    throw new AddrBookFileReadError(file, err)
  }
}

/**
 * Replaces `file` with `data` so that, whatever moment the process or the
 * machine stops at, the path holds either the previous content or the new
 * one, complete: the data goes to a temporary file in the same directory,
 * which is flushed to disk, renamed over the target, and the directory is
 * flushed so the rename itself is durable. The directory is created if
 * missing. Rejects with the system error; the temporary file is removed.
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const dir = dirname(file)
  await mkdir(dir, { recursive: true })
  const temp = join(dir, `${basename(file)}${TEMP_INFIX}${process.pid}-${randomBytes(6).toString('hex')}`)
  let handle: FileHandle | undefined
  try {
    handle = await open(temp, 'wx', 0o644)
    await handle.writeFile(data, 'utf8')
    await handle.sync()
    await handle.close()
    handle = undefined
    await rename(temp, file)
  } catch (err) {
    await handle?.close().catch(() => undefined)
    await rm(temp, { force: true }).catch(() => undefined)
    throw err
  }
  await syncDirectory(dir)
}

/** Flushes a directory's entries (where the platform allows opening a directory). */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch (err) {
    // Some platforms (Windows) cannot open or flush a directory.
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EACCES', 'ENOTSUP', 'EBADF'].includes(errorCode(err) ?? '')) throw err
  } finally {
    await handle?.close().catch(() => undefined)
  }
}

/**
 * Deletes temporary files that an interrupted save (a crash, a kill) left
 * next to `file`, and returns how many. Only one save runs at a time per
 * book, so any such file found before a save starts is stale. A missing
 * directory has none.
 */
export async function removeStaleTempFiles(file: string): Promise<number> {
  const prefix = basename(file) + TEMP_INFIX
  let names: string[]
  try {
    names = await readdir(dirname(file))
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return 0
    throw err
  }
  const stale = names.filter((name) => name.startsWith(prefix))
  await Promise.all(stale.map((name) => rm(join(dirname(file), name), { force: true })))
  return stale.length
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined
  const code = err.code
  return typeof code === 'string' ? code : undefined
}
