import { once } from 'node:events'
import { duplexPair, fromHex } from '@comet-p2p/testing'
import { describe, expect, it } from 'vitest'
import {
  FRAME_PLAINTEXT_SIZE,
  FrameAuthenticationError,
  FrameLengthError,
  FrameNonce,
  FrameOpener,
  FrameSealer,
  NonceExhaustedError,
  SEALED_FRAME_SIZE,
  SecretConnection,
  HandshakeEofError,
  HandshakeFailedError,
  TransportError,
  TruncatedFrameError,
  makeSecretConnection
} from '../src/index.js'
import { concat, connectionVectors, roleView, testBackends } from './support/vectors.js'

const { backend } = testBackends()[0]!
const c = connectionVectors.cases[0]!
const a = roleView(c, 'A')
const handshakeBytes = a.peerBytes.subarray(0, a.handshakeLength)
const firstDataFrame = a.peerBytes.subarray(a.handshakeLength, a.handshakeLength + SEALED_FRAME_SIZE)

/** A as in the vectors, fed B's recorded handshake then `after`; optionally ended. */
async function connectA(after: Uint8Array, end: boolean) {
  const [ours, theirs] = duplexPair()
  theirs.resume()
  const pending = makeSecretConnection(ours, a.identity, { backend, ephemeralPrivateKey: a.ephemeralPrivateKey })
  theirs.write(handshakeBytes)
  const conn = await pending
  if (after.length > 0) theirs.write(after)
  if (end) theirs.end()
  return { conn, ours, theirs }
}

/** A frame sealed with B's send key (A's receive key) at B's counter `counter`. */
function bFrame(plain: Uint8Array, counter: bigint): Uint8Array {
  const cipher = backend.createCipher(fromHex(c.shared.a_recv_key_hex))
  const out = new Uint8Array(SEALED_FRAME_SIZE)
  cipher.seal(new FrameNonce('send', counter).next(), plain, out)
  return out
}

async function errorOf(conn: SecretConnection): Promise<unknown> {
  conn.resume()
  const [err] = (await once(conn, 'error')) as [unknown]
  return err
}

describe('SecretConnection after the handshake, misbehaving peer', () => {
  it('delivers the recorded data, then ends cleanly', async () => {
    const { conn } = await connectA(firstDataFrame, true)
    const chunks: Buffer[] = []
    conn.on('data', (chunk: Buffer) => chunks.push(chunk))
    await once(conn, 'end')
    expect(Buffer.concat(chunks).toString()).toBe('world')
    conn.destroy()
  })

  it('a tampered frame destroys the connection with FrameAuthenticationError', async () => {
    const tampered = firstDataFrame.slice()
    tampered[500]! ^= 0x80
    const { conn, ours } = await connectA(tampered, false)
    expect(await errorOf(conn)).toBeInstanceOf(FrameAuthenticationError)
    expect(conn.destroyed).toBe(true)
    expect(ours.destroyed).toBe(true)
  })

  it('a length field over 1024 destroys the connection with FrameLengthError', async () => {
    const plain = new Uint8Array(FRAME_PLAINTEXT_SIZE)
    new DataView(plain.buffer).setUint32(0, 0xffffffff, true)
    const { conn, ours } = await connectA(bFrame(plain, 1n), false)
    const err = await errorOf(conn)
    expect(err).toBeInstanceOf(FrameLengthError)
    expect((err as FrameLengthError).code).toBe('ERR_SC_FRAME_LENGTH')
    expect(ours.destroyed).toBe(true)
  })

  it('an end inside a frame destroys the connection with TruncatedFrameError', async () => {
    const { conn } = await connectA(firstDataFrame.subarray(0, 100), true)
    expect(await errorOf(conn)).toBeInstanceOf(TruncatedFrameError)
  })

  it('delivers frames that arrived with the handshake only once read, in order', async () => {
    const second = bFrame(concat([Uint8Array.of(5, 0, 0, 0), new TextEncoder().encode('again'), new Uint8Array(1019)]), 3n)
    const [ours, theirs] = duplexPair()
    theirs.resume()
    const pending = makeSecretConnection(ours, a.identity, { backend, ephemeralPrivateKey: a.ephemeralPrivateKey })
    // Handshake, B's two recorded frames and one more, all in a single chunk, then the end.
    theirs.end(concat([a.peerBytes, second]))
    const conn = await pending
    const chunks: Buffer[] = []
    conn.on('data', (chunk: Buffer) => chunks.push(chunk))
    await once(conn, 'end')
    expect(Buffer.concat(chunks).toString('latin1')).toBe('world\u0000again')
    conn.destroy()
  })

  it('a send nonce at its end fails the write with NonceExhaustedError', async () => {
    const [ours, theirs] = duplexPair()
    theirs.resume()
    const cipher = backend.createCipher(new Uint8Array(32))
    const conn = new SecretConnection({
      stream: ours,
      handshake: {
        remotePubKey: new Uint8Array(32),
        remoteId: '00'.repeat(20),
        sealer: new FrameSealer(cipher, new FrameNonce('send', (1n << 64n) - 1n)),
        opener: new FrameOpener(cipher),
        plaintext: new Uint8Array(0)
      },
      leftover: new Uint8Array(0),
      localId: '11'.repeat(20),
      backendName: backend.name,
      highWaterMark: 1024
    })
    conn.write(new Uint8Array(2048))
    expect(await errorOf(conn)).toBeInstanceOf(NonceExhaustedError)
    expect(ours.destroyed).toBe(true)
  })
})

describe('makeSecretConnection, local and transport failures', () => {
  it('wraps a throwing identity in HandshakeFailedError and destroys the stream', async () => {
    const [ours, theirs] = duplexPair()
    theirs.resume()
    const identity = {
      publicKey: a.identity.publicKey,
      id: a.identity.id,
      sign: (): Uint8Array => {
        throw new Error('signer offline')
      }
    }
    const pending = makeSecretConnection(ours, identity, { backend, ephemeralPrivateKey: a.ephemeralPrivateKey })
    theirs.write(handshakeBytes)
    const err = await pending.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HandshakeFailedError)
    expect((err as Error).cause).toBeInstanceOf(Error)
    expect(ours.destroyed).toBe(true)
  })

  it('reports a stream error during the handshake as TransportError', async () => {
    const [ours] = duplexPair()
    const pending = makeSecretConnection(ours, a.identity, { backend })
    ours.destroy(new Error('connection reset'))
    const err = await pending.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TransportError)
    expect(((err as Error).cause as Error).message).toBe('connection reset')
  })

  it('refuses a stream that is already closed', async () => {
    const [ours] = duplexPair()
    ours.destroy()
    await expect(makeSecretConnection(ours, a.identity)).rejects.toBeInstanceOf(HandshakeEofError)
  })

  it('validates its options before touching the stream', async () => {
    const [ours] = duplexPair()
    await expect(makeSecretConnection(ours, a.identity, { expectedRemoteId: 'not-an-id' })).rejects.toMatchObject({
      code: 'ERR_INVALID_NODE_ID'
    })
    expect(ours.destroyed).toBe(true)
    const [other] = duplexPair()
    await expect(makeSecretConnection(other, a.identity, { timeoutMs: -1 })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT'
    })
  })
})
