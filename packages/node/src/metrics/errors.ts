import { CometError } from '@comet-p2p/types'

function reason(code: string | undefined): string {
  switch (code) {
    case 'EADDRINUSE':
      return 'the address is already in use'
    case 'EADDRNOTAVAIL':
      return 'the address does not belong to this machine'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (ports below 1024 need privileges)'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve'
    default:
      return 'listening failed'
  }
}

/** The metrics endpoint could not listen on its address. `cause` holds the system error. */
export class MetricsListenError extends CometError {
  static readonly code = 'ERR_METRICS_LISTEN'
  /** The listen address as given. */
  readonly laddr: string
  /** The system error code, e.g. `EADDRINUSE`. */
  readonly systemCode: string | undefined
  constructor(laddr: string, cause: unknown) {
    const systemCode = (cause as { code?: unknown } | undefined)?.code
    const code = typeof systemCode === 'string' ? systemCode : undefined
    const detail = cause instanceof Error ? ` (${cause.message})` : ''
    super(MetricsListenError.code, `cannot serve metrics on ${laddr}: ${reason(code)}${code === undefined ? detail : ''}`, { cause })
    this.name = 'MetricsListenError'
    this.laddr = laddr
    this.systemCode = code
  }
}
