import { createServer, connect, type Socket } from 'node:net'
import { NodeKey } from '@comet-p2p/types'
import { makeSecretConnection, type SecretConnection, type SecretConnectionOptions } from '../../src/index.js'

/** A connected pair of TCP sockets on 127.0.0.1; the server is closed once connected. */
export async function tcpPair(allowHalfOpen = true): Promise<{ dialer: Socket; listener: Socket }> {
  const server = createServer({ allowHalfOpen })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no address')
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve))
  const dialer = connect({ port: address.port, host: '127.0.0.1', allowHalfOpen })
  await new Promise<void>((resolve, reject) => {
    dialer.once('connect', resolve)
    dialer.once('error', reject)
  })
  const listener = await accepted
  // Stop listening; close() would wait for the accepted socket to end.
  server.close()
  return { dialer, listener }
}

export interface SecurePair {
  dialer: SecretConnection
  listener: SecretConnection
  dialerKey: NodeKey
  listenerKey: NodeKey
}

/** Two secret connections over a fresh TCP pair. */
export async function securePair(
  options: SecretConnectionOptions = {},
  allowHalfOpen = true
): Promise<SecurePair> {
  const { dialer, listener } = await tcpPair(allowHalfOpen)
  const dialerKey = NodeKey.generate()
  const listenerKey = NodeKey.generate()
  const [a, b] = await Promise.all([
    makeSecretConnection(dialer, dialerKey, { ...options, expectedRemoteId: listenerKey.id }),
    makeSecretConnection(listener, listenerKey, options)
  ])
  return { dialer: a, listener: b, dialerKey, listenerKey }
}
