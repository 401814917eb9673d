import { CometError } from '@comet-p2p/types'

/** A call that does not fit the node's state: starting twice, starting after `stop()`, asking for the address before listening. */
export class NodeStateError extends CometError {
  static readonly code = 'ERR_NODE_STATE'
  constructor(message: string) {
    super(NodeStateError.code, message)
    this.name = 'NodeStateError'
  }
}

function reason(code: string | undefined): string {
  switch (code) {
    case 'EADDRINUSE':
      return 'the address is already in use (is another node running?)'
    case 'EADDRNOTAVAIL':
      return 'the address does not belong to this machine'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (ports below 1024 need privileges)'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ERR_NET_ADDRESS_LOOKUP':
      return 'the host name does not resolve'
    default:
      return 'listening failed'
  }
}

/**
 * The node could not listen on `p2p.laddr`: the address is in use, not
 * local, needs privileges, or its host name does not resolve. `cause` holds
 * the system error; `systemCode` its code (e.g. `EADDRINUSE`).
 */
export class ListenError extends CometError {
  static readonly code = 'ERR_LISTEN'
  /** The listen address as configured. */
  readonly laddr: string
  /** The system error code, when there is one. */
  readonly systemCode: string | undefined
  constructor(laddr: string, cause: unknown) {
    const raw = (cause as { code?: unknown } | undefined)?.code
    const systemCode = typeof raw === 'string' ? raw : undefined
    const known = reason(systemCode)
    const detail = known === 'listening failed' && cause instanceof Error ? `: ${cause.message}` : ''
    super(ListenError.code, `cannot listen on ${laddr}: ${known}${detail}`, { cause })
    this.name = 'ListenError'
    this.laddr = laddr
    this.systemCode = systemCode
  }
}
