import type { Duplex } from 'node:stream'
import type { Socket } from 'node:net'
import { MConnection, type MConnectionOptions } from '@comet-p2p/mconnection'
import { makeSecretConnection } from '@comet-p2p/secret-connection'
import { NodeKey } from '@comet-p2p/types'

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
  return makeSecretConnection(socket, NodeKey.generate())
}

export function connection(stream: Duplex, flushThrottleMs: number, onReceive: MConnectionOptions['onReceive']): MConnection {
  return new MConnection(stream, channels, { onReceive, config: benchConfig(flushThrottleMs) })
}
