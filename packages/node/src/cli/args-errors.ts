import { CometError } from '@comet-p2p/types'

/** Options of {@link UsageError}. */
export interface UsageErrorOptions extends ErrorOptions {
  /** The flag concerned, if any (without `--`). */
  flag?: string | undefined
}

/** The command line is wrong: unknown command or flag, missing or malformed value, stray argument. */
export class UsageError extends CometError {
  static readonly code = 'ERR_USAGE'
  /** The flag concerned, if any. */
  readonly flag: string | undefined
  constructor(message: string, options: UsageErrorOptions = {}) {
    const { flag, ...errorOptions } = options
    super(UsageError.code, message, errorOptions)
    this.name = 'UsageError'
    this.flag = flag
  }
}

interface SystemError {
  code: string
  message: string
  syscall?: unknown
  address?: unknown
  port?: unknown
  path?: unknown
  hostname?: unknown
}

function asSystemError(err: unknown): SystemError | undefined {
  if (!(err instanceof Error) || err instanceof CometError) return undefined
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? (err as Error & SystemError) : undefined
}

function endpoint(err: SystemError): string {
  if (typeof err.address !== 'string') return 'the requested address'
  const host = err.address.includes(':') ? `[${err.address}]` : err.address
  return typeof err.port === 'number' ? `${host}:${err.port}` : err.address
}

function describeSystemError(err: SystemError): string {
  const listening = err.syscall === 'listen' || err.syscall === 'bind'
  switch (err.code) {
    case 'EADDRINUSE':
      return `cannot listen on ${endpoint(err)}: the address is already in use (is another node running?)`
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${endpoint(err)}: the address does not belong to this machine`
    case 'EACCES':
    case 'EPERM':
      if (listening) return `cannot listen on ${endpoint(err)}: permission denied (ports below 1024 need privileges)`
      return typeof err.path === 'string' ? `permission denied: ${err.path}` : err.message
    case 'ENOENT':
      return typeof err.path === 'string' ? `no such file or directory: ${err.path}` : err.message
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return typeof err.hostname === 'string' ? `cannot resolve host ${err.hostname}` : err.message
    default:
      return err.message
  }
}

function describe(err: unknown): string {
  if (err instanceof UsageError) return `${err.message} (see "comet-p2p help")`
  if (err instanceof AggregateError && err.errors.length > 0) {
    const more = err.errors.length - 1
    return `${describe(err.errors[0])}${more > 0 ? ` (and ${more} more error${more > 1 ? 's' : ''})` : ''}`
  }
  const system = asSystemError(err)
  if (system !== undefined) return describeSystemError(system)
  if (err instanceof Error) return err.message === '' ? err.name : err.message
  return String(err)
}

/**
 * One line for the user about an error a command failed with: the message
 * of our typed errors (`ConfigError`, `UsageError`, `InvalidNodeKeyError`,
 * `NetAddressError`, ...), which already name the key, flag or file, and a
 * plain sentence for system errors such as `EADDRINUSE` or `ENOENT`.
 * Line breaks are folded into spaces.
 */
export function formatUserError(err: unknown): string {
  return describe(err).replace(/\s*\n\s*/g, ' ').trim()
}
