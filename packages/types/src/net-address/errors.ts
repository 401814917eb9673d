import { CometError } from '../errors.js'

/**
 * Base class of every network-address failure. `input` is the text (or
 * address) the failure is about, as the caller gave it.
 */
export class NetAddressError extends CometError {
  /** The offending input. */
  readonly input: string

  constructor(code: string, message: string, input: string, options?: ErrorOptions) {
    super(code, message, options)
    this.name = 'NetAddressError'
    this.input = input
  }
}

/** The address has no `id@` part (or more than one `@`). */
export class NetAddressNoIdError extends NetAddressError {
  static readonly code = 'ERR_NET_ADDRESS_NO_ID'
  constructor(input: string) {
    super(NetAddressNoIdError.code, `address ${JSON.stringify(input)} does not contain a node ID (expected id@host:port)`, input)
    this.name = 'NetAddressNoIdError'
  }
}

/** The part before `@` is not a node ID (40 hex characters). */
export class NetAddressInvalidIdError extends NetAddressError {
  static readonly code = 'ERR_NET_ADDRESS_INVALID_ID'
  /** The rejected ID. */
  readonly id: string
  constructor(input: string, id: string, reason: string) {
    super(NetAddressInvalidIdError.code, `invalid node ID in address ${JSON.stringify(input)}: ${reason}`, input)
    this.name = 'NetAddressInvalidIdError'
    this.id = id
  }
}

/** The host part is missing, malformed, or not usable where an IP literal is required. */
export class NetAddressInvalidHostError extends NetAddressError {
  static readonly code = 'ERR_NET_ADDRESS_INVALID_HOST'
  constructor(input: string, reason: string) {
    super(NetAddressInvalidHostError.code, `invalid host in address ${JSON.stringify(input)}: ${reason}`, input)
    this.name = 'NetAddressInvalidHostError'
  }
}

/** The port is not a decimal number from 0 to 65535. */
export class NetAddressInvalidPortError extends NetAddressError {
  static readonly code = 'ERR_NET_ADDRESS_INVALID_PORT'
  /** The rejected port, as text. */
  readonly port: string
  constructor(input: string, port: string) {
    super(
      NetAddressInvalidPortError.code,
      `invalid port ${JSON.stringify(port)} in address ${JSON.stringify(input)}: expected a decimal number from 0 to 65535`,
      input
    )
    this.name = 'NetAddressInvalidPortError'
    this.port = port
  }
}

/** A host name could not be resolved to an IP address (failure, no result, or time-out). */
export class NetAddressLookupError extends NetAddressError {
  static readonly code = 'ERR_NET_ADDRESS_LOOKUP'
  /** The host name that was looked up. */
  readonly host: string
  constructor(input: string, host: string, reason: string, options?: ErrorOptions) {
    super(NetAddressLookupError.code, `cannot resolve host ${JSON.stringify(host)}: ${reason}`, input, options)
    this.name = 'NetAddressLookupError'
    this.host = host
  }
}

/**
 * A well-formed address that is not acceptable as a peer address (the
 * reference `Valid()`): a bad ID, or an unspecified, broadcast or
 * documentation-range IP.
 */
export class NetAddressInvalidError extends NetAddressError {
  static readonly code = 'ERR_NET_ADDRESS_INVALID'
  /** Which part is unacceptable. */
  readonly reason: 'id' | 'ip'
  constructor(input: string, reason: 'id' | 'ip', detail: string) {
    super(NetAddressInvalidError.code, `address ${input} is not valid: ${detail}`, input)
    this.name = 'NetAddressInvalidError'
    this.reason = reason
  }
}
