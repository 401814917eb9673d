import type { Socket } from 'node:net'
import {
  AbortError,
  NetAddress,
  NodeInfoIncompatibleError,
  NodeInfoInvalidError,
  TimeoutError,
  checkCompatible,
  validateNodeInfo,
  type Logger,
  type NodeIdentity,
  type NodeInfo
} from '@comet-p2p/types'
import {
  InvalidAuthSignatureError,
  RemoteIdMismatchError,
  UnsupportedKeyTypeError,
  makeSecretConnection,
  type SecretConnection,
  type SecretConnectionOptions
} from '@comet-p2p/secret-connection'
import { RejectedError } from '../errors.js'
import { exchangeNodeInfo } from './node-info-exchange.js'

/** What {@link upgradeConnection} needs besides the socket. */
export interface UpgradeContext {
  identity: NodeIdentity
  ourInfo: NodeInfo
  /** The address dialed; undefined for an inbound connection. */
  dialed: NetAddress | undefined
  /** Fires on the handshake deadline (reason: a TimeoutError) or when the transport closes. */
  signal: AbortSignal
  /** `ip:port` of the remote end, for errors and logs. */
  remote: string
  /** The remote IP and port, for the address of a `self` rejection. */
  ip: string
  port: number
  secretConnection: Pick<SecretConnectionOptions, 'backend' | 'highWaterMark' | 'maxHandshakeMessageSize'>
  logger: Logger
}

/** An upgraded connection: the encrypted stream and the peer's checked NodeInfo. */
export interface Upgraded {
  stream: SecretConnection
  nodeInfo: NodeInfo
}

/**
 * Turns a connected socket into an authenticated, encrypted connection to a
 * compatible peer, in the reference order: secret connection (the peer must
 * authenticate as the dialed ID when dialing), NodeInfo exchange, NodeInfo
 * validation, NodeInfo ID equal to the authenticated ID, not ourselves,
 * compatible with us. Every failure is a {@link RejectedError} and leaves the
 * socket destroyed.
 */
export async function upgradeConnection(socket: Socket, ctx: UpgradeContext): Promise<Upgraded> {
  let stream: SecretConnection
  try {
    stream = await makeSecretConnection(socket, ctx.identity, {
      // The deadline is ctx.signal, shared with the NodeInfo exchange.
      timeoutMs: Number.POSITIVE_INFINITY,
      signal: ctx.signal,
      expectedRemoteId: ctx.dialed?.id,
      backend: ctx.secretConnection.backend,
      highWaterMark: ctx.secretConnection.highWaterMark,
      maxHandshakeMessageSize: ctx.secretConnection.maxHandshakeMessageSize,
      logger: ctx.logger
    })
  } catch (err) {
    socket.destroy()
    throw classifySecretConnectionFailure(err, ctx)
  }
  try {
    const remoteId = stream.remoteId
    if (ctx.dialed !== undefined && remoteId !== ctx.dialed.id) {
      throw new RejectedError('auth_failure', `dialed ${ctx.dialed.id} but the peer authenticated as ${remoteId}`, {
        id: remoteId,
        remote: ctx.remote
      })
    }
    const theirs = await exchangeNodeInfo(stream, ctx.ourInfo, ctx.signal)
    try {
      validateNodeInfo(theirs)
    } catch (err) {
      if (!(err instanceof NodeInfoInvalidError)) throw err
      throw new RejectedError('node_info_invalid', err.message, { id: remoteId, remote: ctx.remote, cause: err })
    }
    if (theirs.id !== remoteId) {
      throw new RejectedError('auth_failure', `the peer authenticated as ${remoteId} but its NodeInfo says ${theirs.id}`, {
        id: remoteId,
        remote: ctx.remote
      })
    }
    if (theirs.id === ctx.ourInfo.id) {
      const addr = ctx.dialed ?? NetAddress.fromParts(theirs.id, ctx.ip, ctx.port)
      throw new RejectedError('self', 'connected to ourselves', { id: theirs.id, addr, remote: ctx.remote })
    }
    try {
      checkCompatible(ctx.ourInfo, theirs)
    } catch (err) {
      if (!(err instanceof NodeInfoIncompatibleError)) throw err
      throw new RejectedError('incompatible', err.message, { id: theirs.id, remote: ctx.remote, cause: err })
    }
    if (ctx.dialed !== undefined && theirs.id !== ctx.dialed.id) {
      throw new RejectedError('auth_failure', `dialed ${ctx.dialed.id} but the peer's NodeInfo says ${theirs.id}`, {
        id: theirs.id,
        remote: ctx.remote
      })
    }
    return { stream, nodeInfo: theirs }
  } catch (err) {
    stream.destroy()
    throw classifyLaterFailure(err, ctx)
  }
}

function classifySecretConnectionFailure(err: unknown, ctx: UpgradeContext): RejectedError {
  const details = { id: ctx.dialed?.id, remote: ctx.remote, cause: err }
  const message = `secret connection failed: ${(err as Error).message}`
  if (err instanceof TimeoutError) return new RejectedError('timeout', message, details)
  if (err instanceof AbortError) return new RejectedError('closed', message, details)
  if (err instanceof RemoteIdMismatchError || err instanceof InvalidAuthSignatureError || err instanceof UnsupportedKeyTypeError) {
    return new RejectedError('auth_failure', message, details)
  }
  return new RejectedError('handshake_failed', message, details)
}

function classifyLaterFailure(err: unknown, ctx: UpgradeContext): RejectedError {
  if (err instanceof RejectedError) return err
  const details = { id: ctx.dialed?.id, remote: ctx.remote, cause: err }
  const message = `NodeInfo exchange failed: ${(err as Error).message}`
  if (err instanceof TimeoutError) return new RejectedError('timeout', message, details)
  if (err instanceof AbortError) return new RejectedError('closed', message, details)
  return new RejectedError('handshake_failed', message, details)
}
