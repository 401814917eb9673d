/**
 * Fuzzing what a peer's bytes reach in the secret connection: the frame
 * opener (random, mutated and re-chunked sealed frames) and the handshake
 * reader (random bytes, mutated recorded handshakes). Typed errors only;
 * a tampered frame never opens; valid frames open in any chunking.
 */
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FrameOpener, FrameSealer, Handshake, getBackend, type CryptoBackend } from '@comet-p2p/secret-connection'
import { CometError, NodeKey } from '@comet-p2p/types'
import { fromHex, loadVector } from '@comet-p2p/testing'
import { chunked, mutate, params, typed } from './runs.js'

const backend = getBackend('node') as CryptoBackend

function pair(): { sealer: FrameSealer; opener: FrameOpener } {
  const key = randomBytes(32)
  return { sealer: new FrameSealer(backend.createCipher(key)), opener: new FrameOpener(backend.createCipher(key)) }
}

/** Feeds `input` to `opener` and collects the payloads it opens. */
function open(opener: FrameOpener, chunks: Uint8Array[]): Buffer {
  const out: Buffer[] = []
  for (const chunk of chunks) {
    let offset = 0
    while (offset < chunk.length) {
      offset = opener.next(chunk, offset)
      if (opener.payload !== undefined) out.push(Buffer.from(opener.payload))
    }
  }
  return Buffer.concat(out)
}

describe('FrameOpener', () => {
  it('random bytes: a typed error (authentication) or nothing opened, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), fc.array(fc.nat(), { maxLength: 10 }), (input, cuts) => {
        const { opener } = pair()
        const result = typed(() => open(opener, chunked(input, cuts)))
        if (!(result instanceof CometError)) expect(result.length).toBe(0) // fewer than 1044 bytes: nothing to open
        expect(opener.bufferedBytes).toBeLessThan(1044)
      }),
      params
    )
  })

  it('valid frames open to the same bytes in any chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.array(fc.nat(), { maxLength: 20 }), (data, cuts) => {
        const { sealer, opener } = pair()
        const sealed = sealer.seal(data)
        expect(open(opener, chunked(sealed, cuts)).equals(Buffer.from(data))).toBe(true)
      }),
      params
    )
  })

  it('a mutated sealed stream never opens the mutated frame', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.nat(), fc.nat(255), (data, index, value) => {
        const { sealer, opener } = pair()
        const sealed = sealer.seal(data)
        const bad = mutate(sealed, index, value)
        const frame = Math.floor((index % sealed.length) / 1044)
        const got: Buffer[] = []
        const result = typed(() => {
          let offset = 0
          while (offset < bad.length) {
            offset = opener.next(bad, offset)
            if (opener.payload !== undefined) got.push(Buffer.from(opener.payload))
          }
        })
        expect(result).toBeInstanceOf(CometError)
        // Only the frames before the mutated one were opened.
        expect(got.length).toBe(frame)
      }),
      params
    )
  })
})

interface ScVector {
  cases: {
    a: { identity_seed_hex: string; ephemeral_priv_hex: string }
    b: { id: string }
    b_to_a_hex: string
    b_to_a_handshake_len: number
  }[]
}

describe('handshake reader', () => {
  const vector = loadVector<ScVector>('secret-connection.json').cases[0]!
  const recorded = fromHex(vector.b_to_a_hex).subarray(0, vector.b_to_a_handshake_len)
  const identity = NodeKey.fromSeed(fromHex(vector.a.identity_seed_hex))
  const ephemeralPrivateKey = fromHex(vector.a.ephemeral_priv_hex)

  it('random bytes in random chunks: typed errors only, never done', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(), { maxLength: 10 }), (input, cuts) => {
        const hs = new Handshake({ identity: NodeKey.generate(), backend })
        hs.start()
        for (const chunk of chunked(input, cuts)) {
          const step = typed(() => hs.receive(chunk))
          if (step instanceof CometError) return
          expect(step.done).toBe(false)
        }
      }),
      params
    )
  })

  it('the recorded handshake completes in any chunking; any mutation of it fails with a typed error', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 10 }), fc.option(fc.tuple(fc.nat(), fc.nat(255)), { nil: undefined }), (cuts, mutation) => {
        const hs = new Handshake({ identity, backend, ephemeralPrivateKey, expectedRemoteId: vector.b.id })
        hs.start()
        const input = mutation === undefined ? recorded : mutate(recorded, mutation[0], mutation[1])
        let done = false
        for (const chunk of chunked(input, cuts)) {
          const step = typed(() => hs.receive(chunk))
          if (step instanceof CometError) {
            expect(mutation).toBeDefined()
            return
          }
          done ||= step.done
        }
        if (mutation === undefined) expect(done).toBe(true)
        else expect(done).toBe(false) // a mutated handshake never authenticates
      }),
      params
    )
  })
})
