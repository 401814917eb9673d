import { NodeKey, encodeAuthSigMessage, encodeDelimited } from '@comet-p2p/types'
import { fromHex, toHex } from '@comet-p2p/testing'
import { describe, expect, it } from 'vitest'
import {
  EphemeralKeyLengthError,
  FrameAuthenticationError,
  FrameSealer,
  Handshake,
  HandshakeMessageError,
  InvalidAuthSignatureError,
  LowOrderPointError,
  RemoteIdMismatchError,
  SEALED_FRAME_SIZE,
  UnsupportedKeyTypeError,
  DEFAULT_MAX_HANDSHAKE_MESSAGE_SIZE
} from '../src/index.js'
import { concat, connectionVectors, roleView, testBackends } from './support/vectors.js'

const EPHEMERAL_MESSAGE_LENGTH = 35

/** Error class a fresh A must fail with on each negative vector (the handshake-level ones). */
const PURE_NEGATIVE_ERRORS: Record<string, new (...args: never[]) => Error> = {
  b_auth_frame_bit_flip: FrameAuthenticationError,
  b_ephemeral_all_zero: LowOrderPointError,
  b_ephemeral_u_equals_1: LowOrderPointError,
  b_ephemeral_order_8_point: LowOrderPointError,
  b_signature_by_other_key: InvalidAuthSignatureError,
  b_presents_secp256k1_key: UnsupportedKeyTypeError
}

for (const { name: backendName, backend } of testBackends()) {
  describe(`handshake state machine vectors [${backendName}]`, () => {
    for (const c of connectionVectors.cases) {
      for (const role of ['A', 'B'] as const) {
        it(`${c.name} as ${role}`, () => {
          const v = roleView(c, role)
          const hs = new Handshake({ identity: v.identity, backend, ephemeralPrivateKey: v.ephemeralPrivateKey })
          expect(toHex(hs.ephemeralPublicKey)).toBe(v.me.ephemeral_pub_hex)
          const first = hs.start()
          expect(first.length).toBe(EPHEMERAL_MESSAGE_LENGTH)
          expect(toHex(first)).toBe(toHex(v.ourBytes.subarray(0, EPHEMERAL_MESSAGE_LENGTH)))

          // Feed the peer's whole recording: the handshake stops at its end.
          const step = hs.receive(v.peerBytes)
          expect(step.done).toBe(true)
          expect(step.consumed).toBe(v.handshakeLength)
          expect(toHex(concat([first, step.send!]))).toBe(toHex(v.ourBytes.subarray(0, v.handshakeLength)))

          const secrets = hs.secrets!
          expect(toHex(secrets.dhSecret)).toBe(c.shared.dh_secret_hex)
          expect(toHex(secrets.recvKey)).toBe(v.recvKey)
          expect(toHex(secrets.sendKey)).toBe(v.sendKey)
          expect(toHex(secrets.challenge)).toBe(c.shared.challenge_hex)
          expect(secrets.localIsLeast).toBe(role === 'A' ? c.a_ephemeral_is_lower : !c.a_ephemeral_is_lower)

          const result = hs.result
          const peer = role === 'A' ? c.b : c.a
          expect(toHex(result.remotePubKey)).toBe(peer.pub_key_hex)
          expect(result.remoteId).toBe(peer.id)
          expect(result.plaintext.length).toBe(0)

          // Data phase: our writes seal to exactly the recorded frames...
          const sealed = concat(v.ourSends.map((m) => result.sealer.seal(m)))
          expect(toHex(sealed)).toBe(toHex(v.ourBytes.subarray(v.handshakeLength)))
          const expectedFrames = v.ourSends.reduce((n, m) => n + Math.ceil(m.length / 1024), 0)
          expect(sealed.length).toBe(expectedFrames * SEALED_FRAME_SIZE)
          // ...and the peer's frames open to exactly its writes.
          const received: Uint8Array[] = []
          result.opener.openAll(v.peerBytes.subarray(step.consumed), (p) => received.push(p.slice()))
          expect(toHex(concat(received))).toBe(toHex(concat(v.peerSends)))
        })
      }

      it(`${c.name} as A, fed one byte at a time`, () => {
        const v = roleView(c, 'A')
        const hs = new Handshake({ identity: v.identity, backend, ephemeralPrivateKey: v.ephemeralPrivateKey })
        const sent: Uint8Array[] = [hs.start()]
        let offset = 0
        while (!hs.done) {
          const step = hs.receive(v.peerBytes.subarray(offset, offset + 1))
          offset += step.consumed
          if (step.send !== undefined) sent.push(step.send)
        }
        expect(offset).toBe(v.handshakeLength)
        expect(toHex(concat(sent))).toBe(toHex(v.ourBytes.subarray(0, v.handshakeLength)))
      })
    }

    for (const n of connectionVectors.negative_cases) {
      const expected = PURE_NEGATIVE_ERRORS[n.name]
      if (expected === undefined) continue
      it(`negative: ${n.name}`, () => {
        const identity = NodeKey.fromSeed(fromHex(n.a.identity_seed_hex))
        const hs = new Handshake({ identity, backend, ephemeralPrivateKey: fromHex(n.a.ephemeral_priv_hex) })
        const written = [hs.start()]
        let error: unknown
        try {
          const step = hs.receive(fromHex(n.b_to_a_hex))
          if (step.send !== undefined) written.push(step.send)
        } catch (err) {
          error = err
        }
        expect(error).toBeInstanceOf(expected)
        const ours = toHex(concat(written))
        expect(n.a_to_b_hex.startsWith(ours)).toBe(true)
        // The handshake stays failed.
        expect(() => hs.receive(new Uint8Array(1))).toThrow(expected)
      })
    }
  })
}

describe('handshake state machine, other peers', () => {
  const { backend } = testBackends()[0]!
  const c = connectionVectors.cases[0]!
  const a = roleView(c, 'A')

  function fresh(expectedRemoteId?: string): Handshake {
    return new Handshake({ identity: a.identity, backend, ephemeralPrivateKey: a.ephemeralPrivateKey, expectedRemoteId })
  }

  it('rejects ephemeral keys that are not 32 bytes', () => {
    for (const length of [0, 1, 31, 33, 64]) {
      const hs = fresh()
      hs.start()
      const message = concat([Uint8Array.of(length + 2, 0x0a, length), new Uint8Array(length).fill(9)])
      expect(() => hs.receive(message)).toThrow(EphemeralKeyLengthError)
    }
  })

  it('rejects a malformed or oversized ephemeral key message', () => {
    const bad = fresh()
    bad.start()
    expect(() => bad.receive(Uint8Array.of(3, 0xff, 0xff, 0xff))).toThrow(HandshakeMessageError)
    const huge = new Handshake({
      identity: a.identity,
      backend,
      ephemeralPrivateKey: a.ephemeralPrivateKey,
      maxMessageSize: 64
    })
    huge.start()
    expect(() => huge.receive(Uint8Array.of(0x80, 0x01))).toThrow(HandshakeMessageError)
    const runaway = fresh()
    runaway.start()
    expect(() => runaway.receive(new Uint8Array(11).fill(0x80))).toThrow(HandshakeMessageError)
  })

  it('refuses by default an announced message over 1 KiB as soon as the prefix shows', () => {
    // A peer announcing 1 MiB (the reference's limit) and trickling would
    // otherwise make us hold a 1 MiB buffer per pending handshake.
    expect(DEFAULT_MAX_HANDSHAKE_MESSAGE_SIZE).toBe(1024)
    const over = fresh()
    over.start()
    expect(() => over.receive(Uint8Array.of(0x81, 0x08))).toThrow(HandshakeMessageError)
    const mib = fresh()
    mib.start()
    expect(() => mib.receive(Uint8Array.of(0x80, 0x80, 0x40))).toThrow(HandshakeMessageError)
    const atLimit = fresh()
    atLimit.start()
    expect(atLimit.receive(Uint8Array.of(0x80, 0x08, 0x0a)).done).toBe(false)
  })

  it('accepts the dialed ID in either case and rejects another', () => {
    const ok = fresh(c.b.id.toUpperCase())
    ok.start()
    expect(ok.receive(a.peerBytes).done).toBe(true)
    const other = fresh(NodeKey.generate().id)
    other.start()
    expect(() => other.receive(a.peerBytes)).toThrow(RemoteIdMismatchError)
  })

  it('keeps application bytes that share a frame with the auth message, and spans frames', () => {
    // Play B by hand with its recorded keys: its AuthSigMessage arrives split over
    // two frames, and the second frame carries application bytes after it.
    const b = roleView(c, 'B')
    const ours = fresh()
    const theirs = new Handshake({ identity: b.identity, backend, ephemeralPrivateKey: b.ephemeralPrivateKey })
    const toB = ours.start()
    const toA = theirs.start()
    theirs.receive(toB)
    const secrets = theirs.secrets!
    const sealer = new FrameSealer(backend.createCipher(secrets.sendKey))
    const auth = encodeDelimited(
      encodeAuthSigMessage({ pubKey: { type: 'ed25519', bytes: b.identity.publicKey }, sig: b.identity.sign(secrets.challenge) })
    )
    const tail = new TextEncoder().encode('extra')
    const frames = concat([sealer.seal(auth.subarray(0, 50)), sealer.seal(concat([auth.subarray(50), tail]))])
    const more = sealer.seal(Uint8Array.of(1, 2, 3))
    const step = ours.receive(concat([toA, frames, more]))
    expect(step.done).toBe(true)
    expect(step.consumed).toBe(toA.length + frames.length)
    expect(new TextDecoder().decode(ours.result.plaintext)).toBe('extra')
    const rest: Uint8Array[] = []
    ours.result.opener.openAll(more, (p) => rest.push(p.slice()))
    expect(toHex(concat(rest))).toBe('010203')
  })

  it('requires start() before receive()', () => {
    expect(() => fresh().receive(new Uint8Array(1))).toThrow()
  })
})
