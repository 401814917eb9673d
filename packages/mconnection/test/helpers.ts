import { createServer, connect, type Socket } from 'node:net'
import { Duplex } from 'node:stream'
import { duplexPair } from '@comet-p2p/testing'
import type { CometError } from '@comet-p2p/types'
import { MConnection, type ChannelDescriptor, type MConnectionConfig, type MConnectionOptions } from '../src/index.js'

/** A received message. */
export interface Received {
  channelId: number
  message: Uint8Array
}

/** One end under test: the connection, what it received, the errors it reported. */
export interface Peer {
  conn: MConnection
  received: Received[]
  errors: CometError[]
  stream: Duplex
}

/** Test defaults: no rate limits, immediate flushes, keepalive far away. */
export const fastConfig: Partial<MConnectionConfig> = {
  sendRate: 0,
  recvRate: 0,
  flushThrottleMs: 0,
  pingIntervalMs: 60_000,
  pongTimeoutMs: 45_000
}

export function makePeer(
  stream: Duplex,
  channels: ChannelDescriptor[],
  options: Partial<MConnectionOptions> = {}
): Peer {
  const received: Received[] = []
  const errors: CometError[] = []
  const conn = new MConnection(stream, channels, {
    onReceive: (channelId, message) => {
      received.push({ channelId, message })
    },
    onError: (error) => errors.push(error),
    ...options,
    config: { ...fastConfig, ...options.config }
  })
  return { conn, received, errors, stream }
}

/** Two started connections over an in-memory duplex pair. */
export function pairOver(
  streams: [Duplex, Duplex],
  channels: ChannelDescriptor[],
  a: Partial<MConnectionOptions> = {},
  b: Partial<MConnectionOptions> = a
): [Peer, Peer] {
  const pa = makePeer(streams[0], channels, a)
  const pb = makePeer(streams[1], channels, b)
  pa.conn.start()
  pb.conn.start()
  return [pa, pb]
}

export function memoryPair(
  channels: ChannelDescriptor[],
  a: Partial<MConnectionOptions> = {},
  b: Partial<MConnectionOptions> = a
): [Peer, Peer] {
  return pairOver(duplexPair(), channels, a, b)
}

/** A connected pair of TCP sockets on 127.0.0.1 (the server is closed once connected). */
export async function tcpSockets(): Promise<[Socket, Socket]> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no address')
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve))
  const client = connect(address.port, '127.0.0.1')
  await new Promise<void>((resolve) => client.once('connect', resolve))
  const serverSide = await accepted
  // close() only stops accepting; its callback would wait for these sockets.
  server.close()
  return [client, serverSide]
}

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

/** Deterministic pseudo-random bytes. */
export function bytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed * 2654435761 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/**
 * Two duplex ends joined through a relay that cuts every chunk, in both
 * directions, at the positions `cut` chooses (sizes of the pieces).
 */
export function rechunkedPair(cut: (length: number) => number[]): [Duplex, Duplex] {
  const [a, relayA] = duplexPair()
  const [relayB, b] = duplexPair()
  const relay = (from: Duplex, to: Duplex): void => {
    from.on('data', (chunk: Buffer) => {
      let offset = 0
      for (const size of cut(chunk.length)) {
        if (offset >= chunk.length) break
        to.write(chunk.subarray(offset, Math.min(chunk.length, offset + size)))
        offset += size
      }
      if (offset < chunk.length) to.write(chunk.subarray(offset))
    })
    from.on('end', () => to.end())
    from.on('close', () => to.destroy())
    from.on('error', () => undefined)
  }
  relay(relayA, relayB)
  relay(relayB, relayA)
  return [a, b]
}

/** A bare duplex that records what is written to it and lets a test push bytes in. */
export class ScriptedStream extends Duplex {
  readonly written: Buffer[] = []
  constructor() {
    super({ allowHalfOpen: true })
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.written.push(chunk)
    callback()
  }
  override _read(): void {}
  /** Everything written so far, concatenated. */
  output(): Buffer {
    return Buffer.concat(this.written)
  }
}

/** Fast equality of two lists of byte arrays (vitest's deep equality is slow on large arrays). */
export function sameMessages(got: readonly Uint8Array[], want: readonly Uint8Array[]): boolean {
  return got.length === want.length && got.every((m, i) => Buffer.from(m).equals(Buffer.from(want[i] as Uint8Array)))
}
