import { NodeKey } from '@comet-p2p/types'
import { duplexPair, fromHex, toHex } from '@comet-p2p/testing'
import { describe, expect, it } from 'vitest'
import {
  FrameAuthenticationError,
  HandshakeEofError,
  InvalidAuthSignatureError,
  LowOrderPointError,
  UnsupportedKeyTypeError,
  makeSecretConnection,
  type CryptoBackend
} from '../src/index.js'
import { collect, readBytes, seededRandom, waitUntil, writeInPieces } from './support/streams.js'
import { concat, connectionVectors, roleView, testBackends, type RoleView } from './support/vectors.js'

type ErrorClass = (new (...args: never[]) => Error) & { code: string }

const NEGATIVE_ERRORS: Record<string, ErrorClass> = {
  b_auth_frame_bit_flip: FrameAuthenticationError,
  b_ephemeral_all_zero: LowOrderPointError,
  b_ephemeral_u_equals_1: LowOrderPointError,
  b_ephemeral_order_8_point: LowOrderPointError,
  b_signature_by_other_key: InvalidAuthSignatureError,
  b_presents_secp256k1_key: UnsupportedKeyTypeError,
  b_stream_truncated_in_auth_frame: HandshakeEofError
}

/**
 * Plays one side of a recorded session through makeSecretConnection over an
 * in-memory pipe: the other end replays the peer's recorded bytes. Returns
 * what our side wrote and what it read.
 */
async function replay(v: RoleView, backend: CryptoBackend, maxPiece: number | undefined, seed: number) {
  const [ours, theirs] = duplexPair()
  const written = collect(theirs)
  const pending = makeSecretConnection(ours, v.identity, { backend, ephemeralPrivateKey: v.ephemeralPrivateKey })
  if (maxPiece === undefined) theirs.write(v.peerBytes)
  else writeInPieces(theirs, v.peerBytes, maxPiece, seededRandom(seed))
  const conn = await pending
  expect(conn.backendName).toBe(backend.name)
  expect(conn.localId).toBe(v.identity.id)
  for (const message of v.ourSends) {
    await new Promise<void>((resolve, reject) => conn.write(message, (err) => (err ? reject(err) : resolve())))
  }
  const peerData = concat(v.peerSends)
  const received = await readBytes(conn, peerData.length)
  await waitUntil(() => written.length() >= v.ourBytes.length)
  conn.destroy()
  return { conn, written: written.bytes(), received, peerData }
}

for (const { name: backendName, backend } of testBackends()) {
  describe(`SecretConnection replays the reference vectors [${backendName}]`, () => {
    for (const c of connectionVectors.cases) {
      for (const role of ['A', 'B'] as const) {
        it(`${c.name} as ${role}`, async () => {
          const v = roleView(c, role)
          const { conn, written, received, peerData } = await replay(v, backend, undefined, 1)
          const peer = role === 'A' ? c.b : c.a
          expect(toHex(conn.remotePubKey)).toBe(peer.pub_key_hex)
          expect(conn.remoteId).toBe(peer.id)
          expect(toHex(written)).toBe(toHex(v.ourBytes))
          expect(toHex(received)).toBe(toHex(peerData))
        })
      }
      it(`${c.name} as A with the peer's bytes in random pieces`, async () => {
        const v = roleView(c, 'A')
        const { written, received, peerData } = await replay(v, backend, 700, c.name.length)
        expect(toHex(written)).toBe(toHex(v.ourBytes))
        expect(toHex(received)).toBe(toHex(peerData))
      })
    }

    for (const n of connectionVectors.negative_cases) {
      it(`negative: ${n.name} fails with ${NEGATIVE_ERRORS[n.name]?.name}`, async () => {
        const expected = NEGATIVE_ERRORS[n.name]!
        const [ours, theirs] = duplexPair()
        const written = collect(theirs)
        theirs.on('error', () => undefined)
        const pending = makeSecretConnection(ours, NodeKey.fromSeed(fromHex(n.a.identity_seed_hex)), {
          backend,
          ephemeralPrivateKey: fromHex(n.a.ephemeral_priv_hex)
        })
        theirs.end(fromHex(n.b_to_a_hex))
        const error = await pending.then(
          () => undefined,
          (err: unknown) => err
        )
        expect(error).toBeInstanceOf(expected)
        expect((error as { code: string }).code).toBe(expected.code)
        expect(ours.destroyed).toBe(true)
        const ours_ = toHex(written.bytes())
        expect(n.a_to_b_hex.startsWith(ours_)).toBe(true)
      })
    }
  })
}
