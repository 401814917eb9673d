import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import type { Duplex } from 'node:stream'
import { AbortError, NodeKey, TimeoutError } from '@comet-p2p/types'
import { activeResources, waitForNoLeaks, type ResourceCounts } from '@comet-p2p/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HandshakeEofError, RemoteIdMismatchError, SecretConnection, makeSecretConnection } from '../src/index.js'
import { seededRandom, waitUntil } from './support/streams.js'
import { securePair, tcpPair } from './support/tcp.js'
import { testBackends } from './support/vectors.js'

let before: ResourceCounts

beforeEach(() => {
  before = activeResources()
})

afterEach(async () => {
  expect(await waitForNoLeaks(before)).toEqual({})
})

/** Writes `data` in random pieces (respecting backpressure), then ends. */
async function sendAll(conn: Duplex, data: Uint8Array, seed: number): Promise<void> {
  const random = seededRandom(seed)
  let offset = 0
  while (offset < data.length) {
    const size = 1 + Math.floor(random() * 200_000)
    if (!conn.write(data.subarray(offset, offset + size))) await once(conn, 'drain')
    offset += size
  }
  conn.end()
}

/**
 * Reads until 'end' (without destroying the stream, unlike `for await`);
 * returns the sha256 and length of everything read.
 */
async function receiveAll(conn: Duplex): Promise<{ hash: string; length: number }> {
  const hash = createHash('sha256')
  let length = 0
  const onData = (chunk: Buffer): void => {
    hash.update(chunk)
    length += chunk.length
  }
  conn.on('data', onData)
  try {
    await once(conn, 'end')
  } finally {
    conn.off('data', onData)
  }
  return { hash: hash.digest('hex'), length }
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

async function exchange(a: SecretConnection, b: SecretConnection, size: number): Promise<void> {
  const toB = randomBytes(size)
  const toA = randomBytes(size)
  const [, , atB, atA] = await Promise.all([sendAll(a, toB, size), sendAll(b, toA, size + 1), receiveAll(b), receiveAll(a)])
  expect(atB).toEqual({ hash: sha256(toB), length: size })
  expect(atA).toEqual({ hash: sha256(toA), length: size })
}

describe('SecretConnection over TCP', () => {
  for (const size of [0, 1, 1024, 1028, 1024 * 1024, 16 * 1024 * 1024]) {
    it(`exchanges ${size} bytes both ways at once`, async () => {
      const { dialer, listener } = await securePair()
      await exchange(dialer, listener, size)
      // Both halves are done on both sides: the connections close themselves.
      await waitUntil(() => dialer.destroyed && listener.destroyed)
    })
  }

  for (const { name, backend } of testBackends()) {
    it(`exchanges 300 KiB with the ${name} backend on both sides`, async () => {
      const { dialer, listener } = await securePair({ backend })
      expect(dialer.backendName).toBe(name)
      await exchange(dialer, listener, 300 * 1024)
    })
  }

  it('interoperates across backends', async () => {
    const backends = testBackends()
    const { dialer: a, listener: b } = await (async () => {
      const { dialer, listener } = await tcpPair()
      const [x, y] = await Promise.all([
        makeSecretConnection(dialer, NodeKey.generate(), { backend: backends[0]!.backend }),
        makeSecretConnection(listener, NodeKey.generate(), { backend: backends[backends.length - 1]!.backend })
      ])
      return { dialer: x, listener: y }
    })()
    await exchange(a, b, 100_000)
  })

  it('propagates half-close: each side still writes after the other ended', async () => {
    const { dialer, listener } = await securePair()
    dialer.end('last words')
    const fromDialer = await receiveAll(listener)
    expect(fromDialer).toEqual({ hash: sha256(Buffer.from('last words')), length: 10 })
    // The listener can still answer over its half.
    listener.end('reply')
    const fromListener = await receiveAll(dialer)
    expect(fromListener.length).toBe(5)
    await waitUntil(() => dialer.destroyed && listener.destroyed)
  })

  it('destroying a connection closes the peer and the socket', async () => {
    const { dialer, listener } = await securePair({}, false)
    listener.resume()
    const closed = once(listener, 'close')
    dialer.destroy()
    await closed
    expect(listener.destroyed).toBe(true)
  })

  it('destroying the underlying socket destroys the connection', async () => {
    const { dialer: socket, listener } = await tcpPair()
    const [conn, peer] = await Promise.all([
      makeSecretConnection(socket, NodeKey.generate()),
      makeSecretConnection(listener, NodeKey.generate())
    ])
    peer.resume()
    conn.on('error', () => undefined)
    const closed = once(conn, 'close')
    socket.destroy()
    await closed
    expect(conn.destroyed).toBe(true)
    peer.destroy()
  })

  it('rejects a peer that is not the dialed node', async () => {
    const { dialer, listener } = await tcpPair()
    const dialing = makeSecretConnection(dialer, NodeKey.generate(), { expectedRemoteId: NodeKey.generate().id })
    const accepting = makeSecretConnection(listener, NodeKey.generate())
    await expect(dialing).rejects.toBeInstanceOf(RemoteIdMismatchError)
    expect(dialer.destroyed).toBe(true)
    // The listener may finish its side first (the dialer's auth message is
    // valid) and then sees the dialer hang up, or fail with a typed error.
    const outcome: SecretConnection | Error = await accepting.then(
      (conn) => conn,
      (err: unknown) => err as Error
    )
    if (!(outcome instanceof SecretConnection)) {
      expect((outcome as { code?: string }).code).toMatch(/^ERR_SC_/)
    } else {
      // Half-open sockets: the listener sees the end and closes its half.
      outcome.on('error', () => undefined)
      outcome.resume()
      outcome.end()
      await waitUntil(() => outcome.destroyed)
    }
  })

  it('times out on a silent peer and destroys the socket', async () => {
    const { dialer, listener } = await tcpPair()
    listener.on('data', () => undefined)
    await expect(makeSecretConnection(dialer, NodeKey.generate(), { timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError)
    expect(dialer.destroyed).toBe(true)
    listener.destroy()
  })

  it('times out on a peer that stops after its ephemeral key', async () => {
    const { dialer, listener } = await tcpPair()
    listener.once('data', () => {
      // A valid-looking ephemeral key message, then silence.
      listener.write(Buffer.concat([Buffer.from([0x22, 0x0a, 0x20]), randomBytes(32)]))
    })
    await expect(makeSecretConnection(dialer, NodeKey.generate(), { timeoutMs: 100 })).rejects.toBeInstanceOf(
      TimeoutError
    )
    listener.destroy()
  })

  it('fails with HandshakeEofError when the peer hangs up mid-handshake', async () => {
    const { dialer, listener } = await tcpPair(false)
    listener.once('data', () => listener.end(Buffer.from([0x22, 0x0a])))
    await expect(makeSecretConnection(dialer, NodeKey.generate())).rejects.toBeInstanceOf(HandshakeEofError)
    listener.destroy()
  })

  it('aborts through the signal', async () => {
    const { dialer, listener } = await tcpPair()
    listener.on('data', () => undefined)
    const controller = new AbortController()
    const pending = makeSecretConnection(dialer, NodeKey.generate(), { signal: controller.signal })
    setTimeout(() => controller.abort(), 10)
    await expect(pending).rejects.toBeInstanceOf(AbortError)
    expect(dialer.destroyed).toBe(true)
    listener.destroy()
  })

  it('rejects at once for an already aborted signal', async () => {
    const { dialer, listener } = await tcpPair()
    await expect(
      makeSecretConnection(dialer, NodeKey.generate(), { signal: AbortSignal.abort() })
    ).rejects.toBeInstanceOf(AbortError)
    expect(dialer.destroyed).toBe(true)
    listener.destroy()
  })

  it('applies backpressure: a writer stalls while the reader does not read', async () => {
    const { dialer: socket, listener: accepted } = await tcpPair()
    const [dialer, listener] = await Promise.all([
      makeSecretConnection(socket, NodeKey.generate()),
      makeSecretConnection(accepted, NodeKey.generate())
    ])
    const data = randomBytes(8 * 1024 * 1024)
    let finished = false
    dialer.write(data, () => {
      finished = true
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    // Nothing read yet: the write has not completed, and neither side holds
    // more than its buffers plus one sealed batch (128 frames).
    expect(finished).toBe(false)
    expect(socket.writableLength).toBeLessThanOrEqual(socket.writableHighWaterMark + 128 * 1044)
    expect(listener.readableLength).toBeLessThanOrEqual(listener.readableHighWaterMark + 64 * 1024)
    dialer.end()
    const received = await receiveAll(listener)
    expect(received).toEqual({ hash: sha256(data), length: data.length })
    expect(finished).toBe(true)
    listener.end()
    dialer.resume()
    await waitUntil(() => dialer.destroyed && listener.destroyed)
  })

  it('reads as data arrives: one small write is readable before the writer ends', async () => {
    const { dialer, listener } = await securePair()
    dialer.write('ping')
    const [chunk] = (await once(listener, 'data')) as [Buffer]
    expect(chunk.toString()).toBe('ping')
    dialer.destroy()
    listener.destroy()
  })
})

describe('tests pin each backend', () => {
  it('reports which backends ran', () => {
    const names = testBackends().map((b) => b.name)
    console.info(`[secret-connection tests] backends under test: ${names.join(', ')}`)
    expect(names).toContain('node')
    expect(names).toContain('noble')
  })
})

