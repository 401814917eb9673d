import { CometError, type NetAddress, type NodeId } from '@comet-p2p/types'

/**
 * Base class of the errors a peer is disconnected with for misbehaving on
 * the PEX channel. `peerId` names the offender. Every subclass also gets the
 * peer's address banned in the address book (see the README).
 */
export class PexPeerError extends CometError {
  /** The misbehaving peer. */
  readonly peerId: NodeId

  constructor(code: string, peerId: NodeId, message: string, options?: ErrorOptions) {
    super(code, message, options)
    this.name = 'PexPeerError'
    this.peerId = peerId
  }
}

/** The bytes received on the PEX channel are not a PEX message (bad protobuf, no or an unknown variant). */
export class PexDecodeError extends PexPeerError {
  static readonly code = 'ERR_PEX_DECODE'
  constructor(peerId: NodeId, cause: unknown) {
    super(PexDecodeError.code, peerId, `peer ${peerId} sent a malformed PEX message: ${describe(cause)}`, { cause })
    this.name = 'PexDecodeError'
  }
}

/** The peer sent addresses we had not asked it for (the reference `ErrUnsolicitedList`). */
export class UnsolicitedAddrsError extends PexPeerError {
  static readonly code = 'ERR_PEX_UNSOLICITED_ADDRS'
  constructor(peerId: NodeId) {
    super(UnsolicitedAddrsError.code, peerId, `peer ${peerId} sent an address list that was not requested`)
    this.name = 'UnsolicitedAddrsError'
  }
}

/** The peer asked for addresses again before the minimum interval passed. */
export class RequestTooSoonError extends PexPeerError {
  static readonly code = 'ERR_PEX_REQUEST_TOO_SOON'
  /** Milliseconds since the peer's previous request. */
  readonly sinceLastMs: number
  /** The minimum interval between requests, in milliseconds. */
  readonly minIntervalMs: number
  constructor(peerId: NodeId, sinceLastMs: number, minIntervalMs: number) {
    super(
      RequestTooSoonError.code,
      peerId,
      `peer ${peerId} sent a PEX request ${sinceLastMs} ms after the previous one (minimum interval ${minIntervalMs} ms)`
    )
    this.name = 'RequestTooSoonError'
    this.sinceLastMs = sinceLastMs
    this.minIntervalMs = minIntervalMs
  }
}

/** An address in a received list has an IP that does not parse or a port above 65535. */
export class InvalidPexAddressError extends PexPeerError {
  static readonly code = 'ERR_PEX_INVALID_ADDRESS'
  /** The offending address as received, `id@ip:port`. */
  readonly address: string
  constructor(peerId: NodeId, address: string, cause: unknown) {
    super(InvalidPexAddressError.code, peerId, `peer ${peerId} sent an invalid address ${address}: ${describe(cause)}`, { cause })
    this.name = 'InvalidPexAddressError'
    this.address = address
  }
}

/** A received list holds more addresses than a reference node ever sends (`maxAddrsPerMessage`). */
export class TooManyAddressesError extends PexPeerError {
  static readonly code = 'ERR_PEX_TOO_MANY_ADDRESSES'
  /** Addresses in the message. */
  readonly count: number
  /** The most accepted. */
  readonly limit: number
  constructor(peerId: NodeId, count: number, limit: number) {
    super(TooManyAddressesError.code, peerId, `peer ${peerId} sent ${count} addresses, more than the limit of ${limit}`)
    this.name = 'TooManyAddressesError'
    this.count = count
    this.limit = limit
  }
}

/** Start failed: seeds are configured but none could be resolved, and the address book is empty. */
export class NoSeedsError extends CometError {
  static readonly code = 'ERR_PEX_NO_SEEDS'
  constructor(configured: number) {
    super(NoSeedsError.code, `the address book is empty and none of the ${configured} seeds could be resolved`)
    this.name = 'NoSeedsError'
  }
}

/** Start failed: a configured seed is not a well-formed `id@host:port` address. */
export class InvalidSeedError extends CometError {
  static readonly code = 'ERR_PEX_INVALID_SEED'
  /** The seed entry as configured. */
  readonly seed: string
  constructor(seed: string, cause: unknown) {
    super(InvalidSeedError.code, `seed ${JSON.stringify(seed)} is malformed: ${describe(cause)}`, { cause })
    this.name = 'InvalidSeedError'
    this.seed = seed
  }
}

/** `dialPeer` refused: the address failed `maxAttemptsToDial` times (it is marked bad). */
export class MaxDialAttemptsError extends CometError {
  static readonly code = 'ERR_PEX_MAX_DIAL_ATTEMPTS'
  readonly addr: NetAddress
  readonly attempts: number
  constructor(addr: NetAddress, attempts: number) {
    super(MaxDialAttemptsError.code, `gave up on ${addr.toString()} after ${attempts} failed dials`)
    this.name = 'MaxDialAttemptsError'
    this.addr = addr
    this.attempts = attempts
  }
}

/** `dialPeer` refused: the address failed recently and its backoff has not passed yet. */
export class TooEarlyToDialError extends CometError {
  static readonly code = 'ERR_PEX_TOO_EARLY_TO_DIAL'
  readonly addr: NetAddress
  /** The backoff that applies, in milliseconds. */
  readonly backoffMs: number
  /** Milliseconds since the last dial. */
  readonly sinceLastDialMs: number
  constructor(addr: NetAddress, backoffMs: number, sinceLastDialMs: number) {
    super(
      TooEarlyToDialError.code,
      `too early to dial ${addr.toString()}: last dialed ${sinceLastDialMs} ms ago, backoff ${Math.round(backoffMs)} ms`
    )
    this.name = 'TooEarlyToDialError'
    this.addr = addr
    this.backoffMs = backoffMs
    this.sinceLastDialMs = sinceLastDialMs
  }
}

/** The reactor was used in the wrong state (started twice, dialing after stop). */
export class PexStateError extends CometError {
  static readonly code = 'ERR_PEX_STATE'
  constructor(message: string) {
    super(PexStateError.code, message)
    this.name = 'PexStateError'
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause)
}
