/**
 * Every error thrown by a comet-p2p package is a {@link CometError}: match on
 * `code` (stable across versions) or on the class with `instanceof`; the
 * message is for people and may change.
 */
export class CometError extends Error {
  /** Stable, machine-readable identifier of the failure, e.g. `ERR_TIMEOUT`. */
  readonly code: string

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
    this.name = 'CometError'
  }
}

/** The caller's `AbortSignal` fired before the operation completed. */
export class AbortError extends CometError {
  static readonly code = 'ERR_ABORTED'
  constructor(message = 'the operation was aborted', options?: ErrorOptions) {
    super(AbortError.code, message, options)
    this.name = 'AbortError'
  }
}

/** The operation did not complete within its time limit. */
export class TimeoutError extends CometError {
  static readonly code = 'ERR_TIMEOUT'
  constructor(message = 'the operation timed out', options?: ErrorOptions) {
    super(TimeoutError.code, message, options)
    this.name = 'TimeoutError'
  }
}

/** A value given by the caller (configuration, argument) is not acceptable. */
export class InvalidArgumentError extends CometError {
  static readonly code = 'ERR_INVALID_ARGUMENT'
  constructor(message: string, options?: ErrorOptions) {
    super(InvalidArgumentError.code, message, options)
    this.name = 'InvalidArgumentError'
  }
}

/** Bytes that should hold a protobuf message (or another wire structure) do not decode. */
export class DecodeError extends CometError {
  static readonly code = 'ERR_DECODE'
  constructor(message: string, options?: ErrorOptions) {
    super(DecodeError.code, message, options)
    this.name = 'DecodeError'
  }
}

/** A message announces or has a size above the limit that applies to it. */
export class MessageTooLargeError extends CometError {
  static readonly code = 'ERR_MESSAGE_TOO_LARGE'
  /** The announced or actual size in bytes. */
  readonly size: number
  /** The largest size accepted. */
  readonly limit: number
  constructor(size: number, limit: number, what = 'message') {
    super(MessageTooLargeError.code, `${what} of ${size} bytes exceeds the limit of ${limit} bytes`)
    this.name = 'MessageTooLargeError'
    this.size = size
    this.limit = limit
  }
}

/** A uvarint length prefix is malformed (longer than 10 bytes or above 2^53). */
export class InvalidLengthPrefixError extends CometError {
  static readonly code = 'ERR_INVALID_LENGTH_PREFIX'
  constructor(message = 'malformed uvarint length prefix') {
    super(InvalidLengthPrefixError.code, message)
    this.name = 'InvalidLengthPrefixError'
  }
}

/** A node ID is not 40 hexadecimal characters (20 bytes). */
export class InvalidNodeIdError extends CometError {
  static readonly code = 'ERR_INVALID_NODE_ID'
  constructor(message: string, options?: ErrorOptions) {
    super(InvalidNodeIdError.code, message, options)
    this.name = 'InvalidNodeIdError'
  }
}

/** A node key (or its `node_key.json` file) is malformed or inconsistent. */
export class InvalidNodeKeyError extends CometError {
  static readonly code = 'ERR_INVALID_NODE_KEY'
  constructor(message: string, options?: ErrorOptions) {
    super(InvalidNodeKeyError.code, message, options)
    this.name = 'InvalidNodeKeyError'
  }
}
