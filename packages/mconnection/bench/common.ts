import type { Duplex } from 'node:stream'
import type { Socket } from 'node:net'
import { MConnection, type MConnectionOptions } from '@comet-p2p/mconnection'
import { NodeKey, type NodeIdentity } from '@comet-p2p/types'

/** The part of @comet-p2p/secret-connection the benchmarks use. */
interface SecretConnectionModule {
  makeSecretConnection(stream: Duplex, identity: NodeIdentity): Promise<Duplex>
}

// Loaded at run time, by a name TypeScript does not resolve, so the
// benchmarks (and this package's typecheck) work before that package is built.
const SECRET_CONNECTION = '@comet-p2p/secret-connection'
let secretConnection: Promise<SecretConnectionModule> | undefined

/** The SecretConnection package, or a rejection if it is not built. */
export function loadSecretConnection(): Promise<SecretConnectionModule> {
  secretConnection ??= import(SECRET_CONNECTION) as Promise<SecretConnectionModule>
  return secretConnection
}

/** The channel every workload uses: the reference's defaults (send queue of 1). */
export const CHANNEL = 0x01
export const channels = [{ id: CHANNEL, priority: 1 }]

/** Unlimited rates, the given flush throttle, keepalive left at its defaults. */
export function benchConfig(flushThrottleMs: number): MConnectionOptions['config'] {
  return { sendRate: 0, recvRate: 0, flushThrottleMs }
}

/** The stream MConnection runs over: the socket itself, or a SecretConnection on it. */
export async function transportOver(socket: Socket, secure: boolean): Promise<Duplex> {
  socket.setNoDelay(true)
  if (!secure) return socket
  const { makeSecretConnection } = await loadSecretConnection()
  return makeSecretConnection(socket, NodeKey.generate())
}

export function connection(stream: Duplex, flushThrottleMs: number, onReceive: MConnectionOptions['onReceive']): MConnection {
  return new MConnection(stream, channels, { onReceive, config: benchConfig(flushThrottleMs) })
}
